package cli

import (
	"sync"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/hts"
)

// appCache holds data loaded once per invocation.
type appCache struct {
	mu sync.Mutex

	// schedule and scheduleErr are set by LoadSchedule.
	schedule    *hts.Schedule
	scheduleErr error

	// levy and levyErr are set by LoadLevy.
	levy    *levy.Levy
	levyErr error
}
