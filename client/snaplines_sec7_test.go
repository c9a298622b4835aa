package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
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
