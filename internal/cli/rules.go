package cli

import (
	"errors"
	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/engine"
)

// LoadLevy loads the schedule and the rules named by the global flags once
// per invocation.
func (app *App) LoadLevy() (*levy.Levy, error) {
	sched, err := app.LoadSchedule()
	if err != nil {
		return nil, err
	}
	app.cache.mu.Lock()
	defer app.cache.mu.Unlock()
	if app.cache.levy == nil && app.cache.levyErr == nil {
		lv, err := levy.Load(levy.Options{Loaded: sched, Measures: app.Measures})
		app.cache.levy, app.cache.levyErr = lv, withCode(ExitData, err)
	}
	return app.cache.levy, app.cache.levyErr
}

// Snapshot returns the compiled snapshot for a scenario ("" for enacted law).
func (app *App) Snapshot(scenario string) (*engine.Snapshot, error) {
	lv, err := app.LoadLevy()
	if err != nil {
		return nil, err
	}
	s, err := lv.Snapshot(scenario)
	if err != nil {
		var e *engine.Error
		if errors.As(err, &e) && e.Code == engine.CodeNotFound {
			return nil, withCode(ExitNotFound, err)
		}
		return nil, withCode(ExitData, err)
	}
	return s, nil
}
