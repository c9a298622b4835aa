//go:build !unix

package peers

import "time"

// cpuTime is not measured here: no cpu-ns/op is reported.
func cpuTime() time.Duration { return 0 }
