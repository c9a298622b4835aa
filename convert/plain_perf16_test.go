package convert

import (
	"fmt"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// perf16Objects is an AMF array of n objects whose member names
// writeFast notes from the one word of qfast: short names (its fast
// form), long ones (cached, but too long for it: their number must not
// let writeFast take them), names that are string values first, more
// than maskNames of them (numbers past the frame's mask), and, every
// dup objects, a name given twice (short, long, or past the mask) or
// again in a child. Each object's members vary in order and number.
func perf16Objects(n, dup int) *amf.Array {
	long := func(i int) string { return fmt.Sprintf("a-member-name-longer-than-a-word-%d", i) }
	items := make([]any, n)
	for i := range items {
		var ms []amf.Member
		ms = append(ms, amf.Member{Name: "v" + fmt.Sprint(i%7), Value: fmt.Sprint("n", i%90)})
		for k := range 3 + i%5 {
			ms = append(ms, amf.Member{Name: fmt.Sprint("n", (i+k*11)%90), Value: amf.Int(k)})
		}
		ms = append(ms, amf.Member{Name: long(i % 3), Value: i%2 == 0})
		ms = append(ms, amf.Member{Name: "child", Value: &amf.Object{Members: []amf.Member{
			{Name: long(i % 3), Value: nil},
			{Name: "v" + fmt.Sprint(i%7), Value: 1.5},
		}}})
		if dup > 0 && i%dup == dup-1 {
			switch i / dup % 4 {
			case 0:
				ms = append(ms, ms[0])
			case 1:
				ms = append(ms, ms[len(ms)-2]) // a long name
			case 2:
				ms = append(ms, ms[2]) // past the mask, once the table holds more than 64 names
			case 3:
				ms = append(ms, amf.Member{Name: "child", Value: "again"})
			}
		}
		items[i] = &amf.Object{Members: ms}
	}
	return &amf.Array{Dense: items}
}

// TestPlainNamesAsModelPerf16 writes perf16Objects through the direct
// path (writeFast noting names from qfast's top bits) and through the
// value model: the JSON and the warnings must be the same, with and
// without names given twice.
func TestPlainNamesAsModelPerf16(t *testing.T) {
	for _, dup := range []int{0, 5, 97} {
		data, err := amf.Marshal(perf16Objects(600, dup), amf.AMF3)
		if err != nil {
			t.Fatal(err)
		}
		var wd, wm []string
		direct, err := AppendAMF(nil, data, amf.AMF3, &Options{Warn: func(m string) { wd = append(wd, m) }})
		if err != nil {
			t.Fatal(err)
		}
		model, err := appendAMFModel(nil, data, amf.AMF3, &Options{Warn: func(m string) { wm = append(wm, m) }})
		if err != nil {
			t.Fatal(err)
		}
		sameAsModel(t, fmt.Sprintf("dup %d", dup), direct, model)
		if strings.Join(wd, "\n") != strings.Join(wm, "\n") {
			t.Errorf("dup %d: warnings differ:\ndirect %q\nmodel  %q", dup, wd, wm)
		}
		warned := strings.Contains(strings.Join(wd, "\n"), " given twice in ")
		if warned != (dup > 0) {
			t.Errorf("dup %d: warnings %q", dup, wd)
		}
	}
}
