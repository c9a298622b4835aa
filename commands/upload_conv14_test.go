package commands

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
)

// A file that was empty when the upload began and has bytes by the time
// it is sent (a screenshot still being written) fails the upload, as one
// that grows from a non-empty size does (TestUploadFileGrew): it was sent
// as an empty ByteArray, the gateway saved an empty image, exit 0, since
// the Writer reads no byte of empty content and so never looked past it.
func TestUploadEmptyFileGrew(t *testing.T) {
	dir := t.TempDir()
	_, u := startGateway(t, gateway.Options{ImagesDir: dir})
	cl, err := client.New(u, client.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// The file as it is when sent: its size (0) was taken before.
	f := filepath.Join(t.TempDir(), "shot.jpg")
	if err := os.WriteFile(f, append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte{'x'}, 1000)...), 0o666); err != nil {
		t.Fatal(err)
	}
	src, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	_, err = uploadStream(context.Background(), cl, "ByteArray.saveSnapshot", src, 0, []any{"jpg"}, nil, nil)
	want := "the file was empty when the upload began and has bytes now (did it change?): the request was cut off before its end, rather than send it empty"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
	if code, _ := classify(err); code != exitUsage {
		t.Errorf("exit code %d, want %d", code, exitUsage)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("the gateway saved %d files: %v", len(ents), ents)
	}

	// An empty file that stays empty is sent as before.
	_, err = uploadStream(context.Background(), cl, "ByteArray.saveSnapshot", bytes.NewReader(nil), 0, []any{"jpg"}, nil, nil)
	if g := (*grewError)(nil); errors.As(err, &g) {
		t.Errorf("an empty file: %v", err)
	}
	t.Logf("an empty file: %v", err)
}
