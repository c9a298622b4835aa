package commands

// A hidden hook for measuring the real binary: AMFCALL_CPUPROFILE=FILE
// writes a CPU profile of the run (for "go tool pprof amfcall FILE"),
// AMFCALL_MEMPROFILE=FILE a heap profile (allocations) at its end. No
// flag, no help text: it is for people measuring amfcall
// (testdata/bench/proc), not a feature.

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts what the environment asks for and returns the
// function that ends it; problems are warnings on stderr, never a
// failure of the run.
func (e *runEnv) startProfiles() (stop func()) {
	cpuPath, memPath := e.getenv("AMFCALL_CPUPROFILE"), e.getenv("AMFCALL_MEMPROFILE")
	if cpuPath == "" && memPath == "" {
		return func() {}
	}
	warn := func(err error) { fmt.Fprintf(e.stderr, "amfcall: warning: profile: %v\n", err) }
	var cpu *os.File
	if cpuPath != "" {
		f, err := os.Create(cpuPath)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			warn(err)
		} else {
			cpu = f
		}
	}
	if memPath != "" {
		runtime.MemProfileRate = 64 << 10
	}
	return func() {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				warn(err)
			}
		}
		if memPath != "" {
			runtime.GC() // the profile holds what the last collection saw
			f, err := os.Create(memPath)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				warn(err)
			}
		}
	}
}
