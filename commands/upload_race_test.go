//go:build race

package commands

// The race detector's shadow memory inflates the resident size the
// upload memory test measures.
func init() { raceEnabled = true }
