package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// A getSnapshots listing can name one object many times by reference (2
// bytes each: a 1 MB reply lists 500,000 snapshots), or many names that
// are refused. --download said a line for each: "a.jpg: skipped, listed
// before", "refusing to download ...". Now the first maxToldEach of each
// are told and the rest counted in one line; every item still has its
// status (the listing on stdout).
func TestDownloadLinesBounded(t *testing.T) {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("\\xff\\xd8 a jpeg"))
	})
	var items []Snapshot
	for range 500 {
		items = append(items, Snapshot{Name: "a.jpg", URL: srv.URL + "/img/a.jpg"})
	}
	for i := range 500 {
		items = append(items, Snapshot{Name: fmt.Sprintf("../%d.jpg", i), URL: srv.URL + "/img/x.jpg"})
	}
	var lines []string
	d := &Downloader{Dir: t.TempDir(), Gateway: srv.URL + "/gw", Config: &Config{}, Total: 1 << 20,
		Say: func(format string, a ...any) { lines = append(lines, fmt.Sprintf(format, a...)) }}
	err := d.Run(context.Background(), items)
	var de *DownloadError
	if !errors.As(err, &de) || de.Refused != 500 {
		t.Fatalf("got %v, want 500 names refused", err)
	}
	t.Logf("%d lines:\n%s", len(lines), strings.Join(lines, "\n"))
	if len(lines) > 2*maxToldEach+4 {
		t.Errorf("%d lines for 1,000 snapshots, want at most %d", len(lines), 2*maxToldEach+4)
	}
	joined := strings.Join(lines, "\n")
	for _, want := range []string{"and 490 more snapshot names refused", "and 489 more snapshots skipped, their names listed before", "a.jpg: downloaded"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no line says %q", want)
		}
	}
	for i, it := range items {
		if it.Status == "" {
			t.Fatalf("snapshot %d has no status", i)
		}
	}
}

// A listing of one short-named object 500,000 times by reference (2
// bytes each) was read whole: 21 MB of names and URLs, under
// MaxSnapshotList, but 450 MB to list and download. Each snapshot now
// counts snapshotCost bytes more, and the listing is refused past the
// bound; a listing of 10,000 snapshots is still read.
func TestSnapshotListManyReferences(t *testing.T) {
	o := &amf.Object{Members: []amf.Member{{Name: "name", Value: "a.jpg"}}}
	for _, tc := range []struct {
		n  int
		ok bool
	}{{10000, true}, {500000, false}} {
		items := &amf.Array{Dense: make([]any, tc.n)}
		for i := range items.Dense {
			items.Dense[i] = o
		}
		list, err := ParseSnapshots(&amf.Array{Dense: []any{"/img/", &amf.Array{Dense: []any{"jpg"}}, items}}, "http://127.0.0.1:1/gw")
		var se *SnapshotsError
		switch {
		case tc.ok && (err != nil || len(list.Items) != tc.n):
			t.Errorf("%d snapshots: %v", tc.n, err)
		case !tc.ok && !errors.As(err, &se):
			t.Errorf("%d references to one snapshot: got %v, want a SnapshotsError", tc.n, err)
		}
	}
}
