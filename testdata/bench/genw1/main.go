// Command genw1 writes the whole-process benchmark input: the W1 remoting
// result repeated 100 times in one array (100,000 objects), as AMF3 bytes
// (w1x100.amf3) and as the plain JSON amfcall prints for it (w1x100.json).
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/amf/amftest"
	"github.com/amfcall/amfcall/convert"
)

func main() {
	dir := "."
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	v := amftest.W1(100 * 1000)
	data, err := amf.Marshal(v, amf.AMF3)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	js, err := convert.AppendValue(nil, v, nil)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for name, b := range map[string][]byte{"w1x100.amf3": data, "w1x100.json": append(js, '\n')} {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("w1x100.amf3: %d bytes, w1x100.json: %d bytes\n", len(data), len(js)+1)
}
