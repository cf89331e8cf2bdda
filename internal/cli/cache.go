package cli

import "sync"

// appCache holds data loaded once per invocation.
type appCache struct {
	mu sync.Mutex
}
