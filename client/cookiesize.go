package client

import (
	"net/http"
	"net/url"
	"sync"
)

// MaxCookieSize bounds a cookie the client keeps: its name and value
// together, as browsers bound them (RFC 6265 6.1 asks for at least 4096
// bytes). A gateway that set a new cookie of 1 MB on each reply had the
// jar grow by that much at each exchange, and each later request carry
// them all: a load test's requests took seconds each and more, with MaxCookies
// allowing 3,000 of them (up to 10 MiB each, net/http's bound on a
// reply's header then; MaxHeaderBytes now). A larger cookie is ignored, with a warning the first
// time only (a load test or a subscription's polls would say it at each
// reply).
const MaxCookieSize = 4096

// sizedJar is the client's cookie jar less the cookies over
// MaxCookieSize, which it counts until takeLarge.
type sizedJar struct {
	*recordingJar
	mu    sync.Mutex
	large int
	first string // the name of the first of them
	told  bool   // takeLarge reported some: it reports none again
}

func (j *sizedJar) SetCookies(u *url.URL, cs []*http.Cookie) {
	kept := cs[:0:0]
	for _, c := range cs {
		if len(c.Name)+len(c.Value) <= MaxCookieSize {
			kept = append(kept, c)
			continue
		}
		j.mu.Lock()
		if j.large++; j.large == 1 {
			j.first = c.Name
		}
		j.mu.Unlock()
	}
	j.recordingJar.SetCookies(u, kept)
}

// takeLarge returns the count of cookies ignored for their size since
// it was last called, and the name of the first; once it has returned
// some, 0 for ever.
func (j *sizedJar) takeLarge() (int, string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	n, first := j.large, j.first
	j.large, j.first = 0, ""
	if j.told {
		return 0, ""
	}
	j.told = n > 0
	return n, first
}
