package discover

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

func obj(kv ...any) *amf.Object {
	o := &amf.Object{}
	for i := 0; i < len(kv); i += 2 {
		o.Members = append(o.Members, amf.Member{Name: kv[i].(string), Value: kv[i+1]})
	}
	return o
}

func refs(v any, n int) *amf.Array {
	a := &amf.Array{Dense: make([]any, n)}
	for i := range a.Dense {
		a.Dense[i] = v
	}
	return a
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A discovery reply sends a text of more than maxText bytes once and
// names it many times by reference: each use was cut to a copy of 4 KB,
// so that a 38 KB reply (770 references to a method of 256 references to
// one parameter of four 5,000-byte texts) took 3.9 GB and 33 s to list,
// and AMFPHP 1's service tree joined each service's package names into a
// name of its own (16 levels of 4 KB). The texts read are now bounded by
// MaxText, past which the reply is not a listing (ErrShape).
func TestCatalogTextBomb(t *testing.T) {
	s := strings.Repeat("s", 5000)
	param := obj("name", s, "type", s, "example", s, "default", s)
	method := obj("name", s, "description", s, "returns", s, "params", refs(param, MaxParams))
	tree := &amf.Array{Dense: []any{obj("name", "svc", "methods", refs(method, 100))}} // 420 MB of texts before

	var err error
	n := allocated(func() { _, err = ParseTree(tree, Amfcall) })
	if !errors.Is(err, ErrShape) || !strings.Contains(err.Error(), "by reference") {
		t.Errorf("ParseTree: %v, want the texts refused", err)
	}
	if n > 128<<20 {
		t.Errorf("ParseTree allocated %d MB, want at most %d", n>>20, 128)
	}

	desc := &amf.Array{Dense: []any{&amf.ECMAArray{Members: []amf.Member{}}}}
	methods := desc.Dense[0].(*amf.ECMAArray)
	entry := obj("description", s, "returns", s, "arguments", refs(s, MaxParams))
	for i := range 100 {
		methods.Members = append(methods.Members, amf.Member{Name: "m" + strings.Repeat("x", i), Value: entry})
	}
	n = allocated(func() { _, err = ParseAMFPHP1Description(desc, "svc") })
	if !errors.Is(err, ErrShape) || n > 128<<20 {
		t.Errorf("ParseAMFPHP1Description: %v, %d MB allocated", err, n>>20)
	}

	// AMFPHP 1's tree: five levels, each of ten references to the next,
	// labels of 5,000 bytes: names of 20 KB joined for 10,000 services.
	var level any = obj("label", s)
	for range 5 {
		level = obj("label", s, "children", refs(level, 10))
	}
	n = allocated(func() { _, err = ParseAMFPHP1Services(refs(level, 1)) })
	if err == nil || n > 128<<20 {
		t.Errorf("ParseAMFPHP1Services: %v, %d MB allocated", err, n>>20)
	}
}
