package cli

import (
	"github.com/levy-tariff/levy/hts"
)

// LoadSchedule returns the schedule named by --schedule, or the embedded
// sample when none is given. It is read once per invocation; a file that
// cannot be read gives an error with exit code ExitData.
func (app *App) LoadSchedule() (*hts.Schedule, error) {
	app.cache.mu.Lock()
	defer app.cache.mu.Unlock()
	if app.cache.schedule == nil && app.cache.scheduleErr == nil {
		var s *hts.Schedule
		var err error
		if app.Schedule == "" {
			s, err = hts.Embedded()
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
