package commands

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
)

// A file that holds more than the size it had when the upload began (it
// was still being written) fails the upload, and the gateway saves
// nothing: it was sent cut at that size, and the gateway saved the cut
// image (exit 0, the rest lost without a word).
func TestUploadFileGrew(t *testing.T) {
	dir := t.TempDir()
	_, u := startGateway(t, gateway.Options{ImagesDir: dir})
	cl, err := client.New(u, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	whole := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{'x'}, 100_000)...)
	src := bytes.NewReader(whole)
	_, err = uploadStream(context.Background(), cl, "ByteArray.saveSnapshot", src, 50_000, []any{"jpg"}, nil, nil)
	want := "the file grew past the 50000 bytes it had when the upload began (did it change?): the request was cut off before its end, rather than send only those"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if code, _ := classify(err); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the gateway saved %d files: %v", len(ents), ents)
	}

	// The exact size still uploads.
	res, err := uploadStream(context.Background(), cl, "ByteArray.saveSnapshot", bytes.NewReader(whole), int64(len(whole)), []any{"jpg"}, nil, nil)
	if err != nil || res == nil {
		t.Fatalf("exact size: %v, %v", res, err)
	}
}
