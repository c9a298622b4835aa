//go:build unix

package convert

import (
	"bytes"
	"encoding/base64"
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
// lines, a string over the AMF3 limit that must fail early, and typed
// JSON ($id/$ref, $class, $date, annotations last by hand; one array or
// JSON lines; to AMF3 and AMF0; one large $bytes) to AMF.
func TestConvertMemory(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	for _, tc := range []struct {
		name string
		size int64
	}{{"json-string-to-amf3", 100 << 20}, {"amf3-string-to-json", 100 << 20}, {"json-lines-to-amf3", 20 << 20}, {"json-too-long", 300 << 20},
		{"typed-json-to-amf3", 100 << 20}, {"typed-json-to-amf0", 100 << 20}, {"typed-lines-to-amf3", 100 << 20},
		{"typed-bytes-to-amf3", 100 << 20}} {
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
	case "typed-json-to-amf3", "typed-json-to-amf0", "typed-lines-to-amf3":
		// Typed JSON as convert --typed writes it (and by hand: the
		// annotations of every tenth object last), one array or JSON
		// lines; the AMF0 $refs stay below the 65,536 AMF0 references.
		lines := which == "typed-lines-to-amf3"
		// Outside the Go heap, as amfcall holds its input (a mapped
		// file, or stdin read into mapped memory): with the input on
		// the heap, the collector would wait for the heap to double
		// past it, whatever the conversion keeps.
		m, merr := syscall.Mmap(-1, 0, 101<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if merr != nil {
			t.Fatal(merr)
		}
		n, line := 0, []byte(nil)
		if !lines {
			n += copy(m[n:], "[")
		}
		for i := 0; n < 100<<20; i++ {
			line = line[:0]
			if i > 0 && !lines {
				line = append(line, ',')
			}
			if i%10 == 9 {
				line = fmt.Appendf(line, `{"id":%d,"name":"product-%d","updated":{"$date":"2023-11-14T22:13:20.123Z"},"prev":{"$ref":%d},"$class":"com.example.Product","$id":%d}`, i, i%1000, 1+i%1000, i+1)
			} else {
				line = fmt.Appendf(line, `{"$id":%d,"$class":"com.example.Product","id":%d,"name":"product-%d","updated":{"$date":"2023-11-14T22:13:20.123Z"},"prev":{"$ref":%d}}`, i+1, i, i%1000, 1+i%1000)
			}
			if lines {
				line = append(line, '\n')
			}
			n += copy(m[n:], line)
		}
		if !lines {
			n += copy(m[n:], "]")
		}
		in = m[:n]
		ver := amf.AMF3
		if which == "typed-json-to-amf0" {
			ver = amf.AMF0
		}
		err = WriteJSONAsAMF(io.Discard, in, ver)
	case "typed-bytes-to-amf3":
		// One ByteArray of 75 MB as {"$bytes": base64}, outside the
		// heap as above: decoded as it is written.
		m, merr := syscall.Mmap(-1, 0, 101<<20, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
		if merr != nil {
			t.Fatal(merr)
		}
		n := copy(m, `{"$bytes":"`)
		chunk := make([]byte, 3<<10)
		for n < 100<<20 {
			for i := range chunk {
				chunk[i] = byte(n + i*31)
			}
			base64.StdEncoding.Encode(m[n:], chunk)
			n += base64.StdEncoding.EncodedLen(len(chunk))
		}
		n += copy(m[n:], `"}`)
		in = m[:n]
		err = WriteJSONAsAMF(io.Discard, in, amf.AMF3)
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
