package gateway

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// TestRemoveParts: the partial file of an upload under way is removed
// by RemoveParts (what serve calls on a second Ctrl-C, before it dies),
// and by Close; before, it stayed in the folder, hidden.
func TestRemoveParts(t *testing.T) {
	for _, how := range []string{"RemoveParts", "Close"} {
		t.Run(how, func(t *testing.T) {
			dir := t.TempDir()
			g := newTestGateway(t, Options{ImagesDir: dir})
			addr := startServe(t, g)
			body := packet(3, "ByteArray.saveSnapshot", amf.AVMPlus{Value: &amf.ByteArray{Data: make([]byte, 1<<20)}}, "png")
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amf\r\nContent-Length: %d\r\n\r\n", len(body))
			c.Write(body[:400<<10]) // the rest never comes
			part := ""
			waitFor(t, func() bool {
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					if strings.HasPrefix(e.Name(), ".upload-") {
						part = e.Name()
						return true
					}
				}
				return false
			})
			if how == "RemoveParts" {
				if n := g.RemoveParts(); n != 1 {
					t.Errorf("RemoveParts removed %d files, want 1", n)
				}
			} else {
				g.Close()
			}
			if _, err := os.Stat(filepath.Join(dir, part)); err == nil {
				t.Fatalf("%s left %s", how, part)
			}
			c.SetDeadline(time.Now().Add(time.Second))
		})
	}
}
