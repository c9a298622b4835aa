package amf

import (
	"bytes"
	"fmt"
	"testing"
)

// A Writer reset with ResetAppend writes each value as a new
// AppendWriter would: nothing refers to the value before (its strings,
// traits and objects), whether that value was small (tables cleared) or
// filled them past their bound (tables made again), and an error before
// is gone.
func TestWriterResetAppend(t *testing.T) {
	big := &Array{}
	for i := range 5000 {
		big.Dense = append(big.Dense, &Object{Class: "C", Members: []Member{{Name: "name", Value: fmt.Sprintf("s%d", i)}}})
	}
	small := &Array{Dense: []any{"s1", "s1", &Object{Class: "C", Members: []Member{{Name: "name", Value: "s2"}}}}}
	fresh := func(v any) []byte {
		w := AppendWriter([]byte("x"), AMF3)
		if err := w.WriteValue(v); err != nil {
			t.Fatal(err)
		}
		b, err := w.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	w := AppendWriter(nil, AMF3)
	for i, v := range []any{small, small, big, small, big, big, small} {
		w.ResetAppend([]byte("x"))
		if err := w.WriteValue(v); err != nil {
			t.Fatal(err)
		}
		got, err := w.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		if want := fresh(v); !bytes.Equal(got, want) {
			t.Fatalf("value %d after ResetAppend: % x...\nwant % x...", i, got[:min(40, len(got))], want[:min(40, len(want))])
		}
	}
	// An error, then a reset: the next value is written.
	w.ResetAppend(nil)
	w.BeginObject(nil)
	if err := w.WriteName(""); err == nil {
		t.Fatal("an empty dynamic member name was written")
	}
	w.ResetAppend([]byte("x"))
	if err := w.WriteValue(small); err != nil {
		t.Fatalf("after ResetAppend: %v", err)
	}
	if got, err := w.Bytes(); err != nil || !bytes.Equal(got, fresh(small)) {
		t.Fatalf("after an error and ResetAppend: % x, %v", got, err)
	}
}
