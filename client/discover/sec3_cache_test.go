package discover

import (
	"os"
	"strings"
	"testing"
)

// TestSaveTargetsBounded: the names "amfcall list" caches are the
// gateway's. 5,000 names of 20 KB (a 100 MB listing, within a reply's
// bounds) were written whole: a 100 MB cache file at every list, which
// CachedTargets then ignored (over its 1 MiB). Names over 256 bytes are
// not kept now, nor names past what a 1 MiB file holds; the others are
// still offered.
func TestSaveTargetsBounded(t *testing.T) {
	dir := t.TempDir()
	old := cacheRoot
	cacheRoot = func() (string, error) { return dir, nil }
	t.Cleanup(func() { cacheRoot = old })
	const u = "http://127.0.0.1:8000/gateway"
	var names []string
	for i := range maxCachedTargets {
		names = append(names, "svc.m"+itoa(i)+strings.Repeat("x", 20<<10))
	}
	names = append([]string{"a.b", strings.Repeat("<", maxCachedName)}, names...)
	if err := SaveTargets(u, names); err != nil {
		t.Fatal(err)
	}
	path, _ := cachePath(u)
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() > maxCacheFile {
		t.Errorf("cache file of %d bytes, over %d", st.Size(), maxCacheFile)
	}
	if got := CachedTargets(u); len(got) != 2 || got[0] != "a.b" {
		t.Errorf("CachedTargets = %d names, %.80q", len(got), got)
	}
	// Many short names fill the file as far as it holds them.
	names = names[:0]
	for i := range maxCachedTargets {
		names = append(names, strings.Repeat("<", 200)+itoa(i))
	}
	if err := SaveTargets(u, names); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Size() > maxCacheFile {
		t.Errorf("cache file of %d bytes, over %d", st.Size(), maxCacheFile)
	}
	if got := CachedTargets(u); len(got) == 0 || got[0] != names[0] {
		t.Errorf("CachedTargets = %d names", len(got))
	}
}

func itoa(i int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + i%10)}, b...)
		if i /= 10; i == 0 {
			return string(b)
		}
	}
}
