//go:build race

package amf

// raceOn is raceEnabled for the package's internal tests: sync.Pool
// drops items on purpose under the race detector, so allocation counts
// mean nothing there.
const raceOn = true
