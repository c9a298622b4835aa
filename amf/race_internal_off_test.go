//go:build !race

package amf

const raceOn = false
