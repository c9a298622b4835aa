//go:build race

package amf_test

// raceEnabled: sync.Pool drops items on purpose under the race detector,
// so allocation counts mean nothing there.
const raceEnabled = true
