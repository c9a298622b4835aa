//go:build unix

package convert

import (
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestConvertMemoryTyped is TestConvertMemory for typed JSON to AMF
// (issue 7; opt-in: AMFCALL_MEMTEST=1): 100 MB of typed JSON ($id/$ref,
// $class, $date, annotations last by hand; one array or JSON lines; to
// AMF3 and AMF0; one large $bytes) converted in a child process, whose
// peak resident memory must stay within the input size + 64 MB.
func TestConvertMemoryTyped(t *testing.T) {
	if os.Getenv("AMFCALL_MEMTEST") == "" {
		t.Skip("set AMFCALL_MEMTEST=1 to measure peak memory in a child process")
	}
	names := []string{"typed-json-to-amf3", "typed-json-to-amf0", "typed-lines-to-amf3", "typed-bytes-to-amf3"}
	runMemoryChildren(t, "TestMemoryChildTyped", names)
}

func TestMemoryChildTyped(t *testing.T) {
	which := os.Getenv("AMFCALL_MEMCHILD")
	if which == "" {
		t.Skip("run by TestConvertMemoryTyped")
	}
	var in []byte
	var err error
	switch which {
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
	default:
		t.Fatalf("no case %q", which)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	fmt.Printf("peak %d %d\n", ru.Maxrss*1024, len(in))
}
