// Package levy is the library entry point: it loads a schedule and a
// measure pack (the embedded defaults or files the caller names), compiles
// them, and hands out snapshots to assess import lines against.
//
//	lv, err := levy.Load(levy.Options{})
//	snap, _ := lv.Snapshot("")
//	a, err := snap.Assess(&engine.Query{HTS: "8703.23.01.30", Origin: "JP", ...})
//
// Package levy wires the data packages together; it holds no tariff logic.
package levy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/data"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/hts"
	"github.com/levy-tariff/levy/measure"
	"github.com/levy-tariff/levy/program"
)

// Options say where the schedule and the rules come from.
type Options struct {
	// Schedule is a USITC HTS export (JSON or CSV, .gz accepted), read alone
	// and used for every date; "" uses the schedule history (DataDir's, or
	// the embedded one).
	Schedule string
	// DataDir is where `levy data update` keeps newer revisions: when it
	// holds a history that extends the embedded one, that history is used.
	DataDir string
	// Measures is a directory of rule files (scenario files included); ""
	// uses the embedded measure pack.
	Measures string
	// Loaded, when set, is used instead of reading Schedule.
	Loaded *hts.Schedule
}

// Levy is a loaded schedule and rule set with compiled snapshots.
type Levy struct {
	Schedule *hts.Schedule
	// ScheduleNote says why a history in the data directory was passed
	// over, or is "".
	ScheduleNote string
	Rules        *measure.Set

	mu    sync.Mutex
	snaps map[string]*engine.Snapshot
}

// Load reads and compiles the schedule and the rules. The enacted snapshot
// is compiled at once so that a broken rule set fails here.
func Load(opts Options) (*Levy, error) {
	sched := opts.Loaded
	var err error
	var note string
	if sched == nil {
		if opts.Schedule == "" {
			sched, note, err = DefaultSchedule(opts.DataDir)
		} else {
			sched, err = hts.Load(opts.Schedule)
		}
		if err != nil {
			return nil, err
		}
	}
	rules, err := LoadRules(opts.Measures)
	if err != nil {
		return nil, err
	}
	lv := &Levy{Schedule: sched, ScheduleNote: note, Rules: rules, snaps: map[string]*engine.Snapshot{}}
	if _, err := lv.Snapshot(""); err != nil {
		return nil, err
	}
	return lv, nil
}

// HistoryFile is the name of the schedule history `levy data update`
// writes in the data directory.
const HistoryFile = "schedule.bin"

// DefaultSchedule returns the schedule history levy uses when no export is
// named: the one in dataDir when it extends the embedded history with newer
// revisions, else the embedded one. A history in dataDir that cannot be
// read, or does not extend the embedded one, is passed over; the note says
// why (it is "" otherwise).
func DefaultSchedule(dataDir string) (s *hts.Schedule, note string, err error) {
	base, err := hts.Embedded()
	if err != nil || dataDir == "" {
		return base, "", err
	}
	path := filepath.Join(dataDir, HistoryFile)
	if _, err := os.Stat(path); err != nil {
		return base, "", nil
	}
	s, err = hts.LoadPack(path)
	if err != nil {
		return base, fmt.Sprintf("%s could not be read (%v): using the embedded schedule", path, err), nil
	}
	if !s.Extends(base) {
		return base, fmt.Sprintf("%s does not extend the embedded schedule (%s): using the embedded one", path, base.Revision), nil
	}
	return s, "", nil
}

// LoadRules reads and checks the rule files in dir, or the embedded pack.
func LoadRules(dir string) (*measure.Set, error) {
	var fsys fs.FS = data.FS
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil {
			return nil, fmt.Errorf("measures: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("measures: %s is not a directory", dir)
		}
		fsys = os.DirFS(dir)
	}
	files, perr := measure.ParseFS(fsys, ".")
	var parseErrs measure.Errors
	if perr != nil && !errors.As(perr, &parseErrs) {
		return nil, perr
	}
	set, cerr := measure.Check(files, Checker)
	return set, measure.Merge(parseErrs, cerr)
}

// Checker validates country codes and program symbols in rule files.
var Checker = measure.Checker{
	Country: func(c string) error { _, err := country.Lookup(c); return err },
	Program: func(p string) error { _, err := program.Lookup(p); return err },
}

func init() {
	engine.ProgramCheck = func(sym, c string) (string, error) {
		p, err := program.Lookup(sym)
		if err != nil {
			return "", err
		}
		return p.Symbol, program.Eligible(p.Symbol, c)
	}
	engine.CountryCheck = func(code string) (string, error) {
		c, err := country.Lookup(code)
		if err != nil {
			return "", err
		}
		return c.Code, nil
	}
}

// Snapshot returns the compiled snapshot for scenario ("" for enacted law),
// compiling it on first use.
func (lv *Levy) Snapshot(scenario string) (*engine.Snapshot, error) {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	if s, ok := lv.snaps[scenario]; ok {
		return s, nil
	}
	s, err := engine.Compile(lv.Schedule, lv.Rules, scenario)
	if err != nil {
		return nil, err
	}
	lv.snaps[scenario] = s
	return s, nil
}
