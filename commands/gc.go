package commands

import (
	"math"
	"runtime"
	"runtime/debug"
	"sync"
)

// gcHeadroom is how much memory (the Go runtime's total, as
// debug.SetMemoryLimit counts it) a conversion may use before its first
// garbage collection.
//
// The runtime's first collection comes at 4 MB of heap, and the input
// alone is often more. Measured on W1 x 100 (5.6 MB of AMF3 to 18 MB of
// JSON, testdata/bench/proc): the two collections it does cost 15-20% of
// the process's CPU time, mostly in the idle mark worker of the second
// core, which spins while the converting goroutine sits in code it
// cannot be stopped in; the 15 MB the conversion allocates would have
// fitted. Postponing the first collection to gcHeadroom removes them,
// and the maximum RSS does not grow (26 MB, against 27 with them).
const gcHeadroom = 24 << 20

var gcOnce sync.Once

// postponeGC turns garbage collection off until the process has used
// gcHeadroom, then back to what it was: the memory limit makes that
// first collection, and a finalizer, run after it, restores the
// settings. After that the heap grows as usual (a collection each time
// it doubles), so a conversion whose own memory passes gcHeadroom costs
// what it did. A GOGC or GOMEMLIMIT in the environment is the user's
// choice and is left alone. Once per process.
func postponeGC(getenv func(string) string) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return
	}
	gcOnce.Do(func() {
		percent := debug.SetGCPercent(-1)
		limit := debug.SetMemoryLimit(gcHeadroom)
		// Not a tiny allocation: those share a block, and the block
		// may outlive the marker.
		marker := new([64]byte)
		runtime.SetFinalizer(marker, func(*[64]byte) {
			debug.SetGCPercent(percent)
			debug.SetMemoryLimit(limit)
		})
	})
}

// benchHeadroom is the memory bench may use, past the replies its
// connections hold at once (bench.Run: about twice --max-response-size),
// before the collector works to keep it there: the HTTP connections'
// buffers, the histograms, the runtime's own.
const benchHeadroom = 64 << 20

// benchConnMemory is what each of bench's connections takes besides its
// replies: its goroutines' stacks, buffers and client. Measured at
// -c 10000: some 45 KB over HTTP, 10 KB over AMF Socket. Left out of
// the limit, the collector ran without pause at -c 10000 (some 50% of
// the CPU: 11,500 requests in 5 s where 41,000 went without the limit)
// and the run overran --for.
const benchConnMemory = 64 << 10

// limitBenchHeap sets a soft memory limit of twice maxResponse (the
// replies bench's connections hold at once) plus benchHeadroom and
// benchConnMemory for each of conns connections, and returns what puts
// the old one back. Without it the replies dropped
// were collected only once the heap had doubled: against a gateway
// whose replies never end, each attempt left 64 MiB or more of garbage
// and bench peaked at 224-413 MB whatever -c. A GOMEMLIMIT in the
// environment is the user's choice and is left alone. The limit is
// soft: replies whose values take more once decoded (up to
// client.MaxValueFactor times their bytes) are still read, at the cost
// of more collections.
func limitBenchHeap(getenv func(string) string, maxResponse int64, conns int) (restore func()) {
	if getenv("GOMEMLIMIT") != "" || maxResponse <= 0 {
		return func() {}
	}
	conn := min(int64(max(conns, 1)), math.MaxInt64/4/benchConnMemory) * benchConnMemory
	old := debug.SetMemoryLimit(min(2*maxResponse, math.MaxInt64/4-benchHeadroom) + benchHeadroom + conn)
	return func() { debug.SetMemoryLimit(old) }
}
