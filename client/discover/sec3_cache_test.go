package discover

import (
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
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

// TestCatalogSharedListsBounded: a discovery reply may name one list
// many times by reference. 1,000 services sharing one list of 1,000
// methods (a few KB of AMF3) described a million methods; AMFPHP 1's
// tree of 16 levels, each 10 references to the next level's node, took
// 10^16 steps; describeService's 10,000 methods sharing one list of 256
// arguments, 2.56 million parameters. Each is now refused past
// MaxEntries, saying why, with little allocated.
func TestCatalogSharedListsBounded(t *testing.T) {
	methods := &amf.Array{}
	for i := range 1000 {
		methods.Dense = append(methods.Dense, &amf.Object{Members: []amf.Member{{Name: "name", Value: "m" + itoa(i)}}})
	}
	svcs := &amf.Array{}
	for i := range 1000 {
		svcs.Dense = append(svcs.Dense, &amf.Object{Members: []amf.Member{{Name: "name", Value: "S" + itoa(i)}, {Name: "methods", Value: methods}}})
	}
	var level any = &amf.Array{}
	for range 16 {
		node := &amf.Object{Members: []amf.Member{{Name: "label", Value: "p"}, {Name: "children", Value: level}}}
		list := &amf.Array{}
		for range 10 {
			list.Dense = append(list.Dense, node)
		}
		level = list
	}
	args := &amf.Array{}
	for i := range 256 {
		args.Dense = append(args.Dense, "a"+itoa(i))
	}
	desc := &amf.ECMAArray{}
	for i := range 10000 {
		desc.Members = append(desc.Members, amf.Member{Name: "m" + itoa(i), Value: &amf.Object{Members: []amf.Member{{Name: "arguments", Value: args}}}})
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, tc := range []struct {
			name  string
			parse func() error
		}{
			{"shared methods", func() error { _, err := ParseTree(svcs, Amfcall); return err }},
			{"shared tree", func() error { _, err := ParseAMFPHP1Services(level); return err }},
			{"shared arguments", func() error { _, err := ParseAMFPHP1Description([]any{desc}, "S"); return err }},
		} {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := tc.parse()
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			if err == nil || !strings.Contains(err.Error(), "by reference") {
				t.Errorf("%s: %v", tc.name, err)
			}
			if alloc > 64<<20 {
				t.Errorf("%s: %.1f MiB allocated", tc.name, float64(alloc)/(1<<20))
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("still parsing after a minute")
	}
}
