//go:build unix

package convert

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestConvertMemory (opt-in: AMFCALL_MEMTEST=1, it takes a few seconds
// and a few hundred MB) converts 100 MB inputs in a child process and
// checks its peak resident memory stays within the input size + 64 MB
// (issue 7): a JSON string to AMF3, the AMF3 back to JSON, 20 MB of JSON
// lines, and a string over the AMF3 limit that must fail early.
func TestConvertMemory(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	for _, tc := range []struct {
		name string
		size int64
	}{{"json-string-to-amf3", 100 << 20}, {"amf3-string-to-json", 100 << 20}, {"json-lines-to-amf3", 20 << 20}, {"json-too-long", 300 << 20}} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryChild$", "-test.v")
			cmd.Env = append(os.Environ(), "AMFCALL_MEMCHILD="+tc.name)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var rss, in int64
			for _, line := range strings.Split(string(out), "\n") {
				if f := strings.Fields(line); len(f) == 3 && f[0] == "peak" {
					rss, _ = strconv.ParseInt(f[1], 10, 64)
					in, _ = strconv.ParseInt(f[2], 10, 64)
				}
			}
			t.Logf("%s: input %d MB, peak RSS %d MB", tc.name, in>>20, rss>>20)
			if rss == 0 || rss > in+64<<20 {
				t.Errorf("peak RSS %d MB for an input of %d MB (limit: input + 64 MB)\n%s", rss>>20, in>>20, out)
			}
		})
	}
}

func TestMemoryChild(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemory")
	}
	var in []byte
	var err error
	switch which {
	case "json-string-to-amf3", "json-too-long":
		n := 100 << 20
		if which == "json-too-long" {
			n = 300 << 20
		}
		in = make([]byte, n+2)
		for i := range in {
			in[i] = 'a'
		}
		in[0], in[n+1] = '"', '"'
		err = WriteJSONAsAMF(io.Discard, in, amf.AMF3)
		if which == "json-too-long" {
			if err == nil || !strings.Contains(err.Error(), "longer than the AMF3 limit") {
				t.Fatalf("want a length error, got %v", err)
			}
			err = nil
		}
	case "amf3-string-to-json":
		n := 100 << 20
		in = amf.AppendU29(append(make([]byte, 0, n+5), 0x06), uint32(n)<<1|1)
		for range n {
			in = append(in, 'a')
		}
		err = WriteAMF(io.Discard, in, amf.AMF3, &Options{})
	case "json-lines-to-amf3":
		var b bytes.Buffer
		for b.Len() < 20<<20 {
			fmt.Fprintf(&b, `{"id": %d, "name": "product-%d", "tags": ["a", "b"], "price": 1.5}`+"\n", b.Len(), b.Len()%1000)
		}
		in = b.Bytes()
		err = WriteJSONAsAMF(io.Discard, in, amf.AMF3)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("peak %d %d\n", ru.Maxrss*1024, len(in))
}
