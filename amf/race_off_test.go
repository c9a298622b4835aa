//go:build !race

package amf_test

const raceEnabled = false
