package cli

import (
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/hts"
)

// LoadSchedule returns the schedule named by --schedule, or else the dated
// history of every revision (the data directory's, when `levy data update`
// has added newer revisions, or the embedded one). It is read once per
// invocation; a file that cannot be read gives an error with exit code
// ExitData.
func (app *App) LoadSchedule() (*hts.Schedule, error) {
	app.cache.mu.Lock()
	defer app.cache.mu.Unlock()
	if app.cache.schedule == nil && app.cache.scheduleErr == nil {
		var s *hts.Schedule
		var err error
		if app.Schedule == "" {
			var note string
			s, note, err = levy.DefaultSchedule(app.DataDir)
			if note != "" && app.Log != nil {
				app.Log.Warn(note)
			}
		} else {
			s, err = hts.Load(app.Schedule)
		}
		app.cache.schedule, app.cache.scheduleErr = s, withCode(ExitData, err)
		if err == nil && app.Log != nil {
			app.Log.Debug("schedule loaded", "revision", s.Revision, "source", s.Source, "records", len(s.Lines))
		}
	}
	return app.cache.schedule, app.cache.scheduleErr
}

// DefaultDataDir is where levy keeps data it fetches: $LEVY_DATA_DIR, else
// levy/ under the XDG data directory ($XDG_DATA_HOME, or ~/.local/share; on
// macOS ~/Library/Application Support, on Windows %LocalAppData%).
func DefaultDataDir() string {
	if d := os.Getenv("LEVY_DATA_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "levy")
	}
	home, err := os.UserHomeDir()
	switch {
	case runtime.GOOS == "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "levy")
		}
	case err != nil:
		return ""
	case runtime.GOOS == "darwin":
		return filepath.Join(home, "Library", "Application Support", "levy")
	}
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".local", "share", "levy")
}

// Today is the date levy takes as today: $LEVY_TODAY (YYYY-MM-DD) when set,
// for reproducible runs, else the local calendar day.
func (app *App) Today() date.Date {
	if t := os.Getenv("LEVY_TODAY"); t != "" {
		if d, err := date.Parse(t); err == nil {
			return d
		}
	}
	return date.Of(time.Now())
}
