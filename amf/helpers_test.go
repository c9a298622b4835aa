package amf

import (
	"encoding/hex"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

// mustHex turns test notation into bytes: hex digits (whitespace between
// bytes is ignored) and "quoted" runs of literal text, so that rows can be
// copied from the protocol digest as they stand there, for example
// `00 09 "test.avm1" 00 02 "/1"`.
func mustHex(s string) []byte {
	var out []byte
	var digits strings.Builder
	flush := func() {
		b, err := hex.DecodeString(digits.String())
		if err != nil {
			panic(fmt.Sprintf("mustHex(%q): %v", s, err))
		}
		out = append(out, b...)
		digits.Reset()
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				panic(fmt.Sprintf("mustHex(%q): unterminated quote", s))
			}
			flush()
			out = append(out, s[i+1:i+1+j]...)
			i += j + 1
		case c == ' ' || c == '\n' || c == '\t':
		default:
			digits.WriteByte(c)
		}
	}
	flush()
	if out == nil {
		out = []byte{}
	}
	return out
}

// valueEqual compares two values of the value model. Doubles compare by
// their bits (so NaN payloads and -0.0 count), pointers by what they point
// to, cycles included.
func valueEqual(a, b any) bool {
	return (&cmp{seen: map[[2]any]bool{}}).eq(a, b)
}

type cmp struct{ seen map[[2]any]bool }

func (c *cmp) visit(a, b any) bool {
	k := [2]any{a, b}
	if c.seen[k] {
		return true
	}
	c.seen[k] = true
	return false
}

func (c *cmp) eq(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && math.Float64bits(x) == math.Float64bits(y)
	case *Date:
		y, ok := b.(*Date)
		return ok && (x == y || (x != nil && y != nil && math.Float64bits(x.Ms) == math.Float64bits(y.Ms) && x.TZ == y.TZ))
	case *Object:
		y, ok := b.(*Object)
		if !ok || (x == nil) != (y == nil) {
			return false
		}
		if x == nil || c.visit(x, y) {
			return true
		}
		return x.Class == y.Class && reflect.DeepEqual(x.Traits, y.Traits) && c.members(x.Members, y.Members)
	case *ECMAArray:
		y, ok := b.(*ECMAArray)
		if !ok || (x == nil) != (y == nil) {
			return false
		}
		if x == nil || c.visit(x, y) {
			return true
		}
		return reflect.DeepEqual(x.Count, y.Count) && c.members(x.Members, y.Members)
	case *Array:
		y, ok := b.(*Array)
		if !ok || (x == nil) != (y == nil) {
			return false
		}
		if x == nil || c.visit(x, y) {
			return true
		}
		return c.items(x.Dense, y.Dense) && c.members(x.Assoc, y.Assoc)
	case *Vector:
		y, ok := b.(*Vector)
		if !ok || (x == nil) != (y == nil) {
			return false
		}
		if x == nil || c.visit(x, y) {
			return true
		}
		if x.Type != y.Type || x.Fixed != y.Fixed || x.ObjectType != y.ObjectType || !reflect.DeepEqual(x.Ints, y.Ints) || !reflect.DeepEqual(x.Uints, y.Uints) || len(x.Doubles) != len(y.Doubles) {
			return false
		}
		for i := range x.Doubles {
			if math.Float64bits(x.Doubles[i]) != math.Float64bits(y.Doubles[i]) {
				return false
			}
		}
		return c.items(x.Objects, y.Objects)
	case *Dictionary:
		y, ok := b.(*Dictionary)
		if !ok || (x == nil) != (y == nil) {
			return false
		}
		if x == nil || c.visit(x, y) {
			return true
		}
		if x.WeakKeys != y.WeakKeys || len(x.Entries) != len(y.Entries) {
			return false
		}
		for i := range x.Entries {
			if !c.eq(x.Entries[i].Key, y.Entries[i].Key) || !c.eq(x.Entries[i].Value, y.Entries[i].Value) {
				return false
			}
		}
		return true
	case AVMPlus:
		y, ok := b.(AVMPlus)
		return ok && c.eq(x.Value, y.Value)
	case []any:
		y, ok := b.([]any)
		return ok && c.items(x, y)
	}
	return reflect.DeepEqual(a, b)
}

func (c *cmp) items(x, y []any) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if !c.eq(x[i], y[i]) {
			return false
		}
	}
	return true
}

func (c *cmp) members(x, y []Member) bool {
	if len(x) != len(y) {
		return false
	}
	for i := range x {
		if x[i].Name != y[i].Name || !c.eq(x[i].Value, y[i].Value) {
			return false
		}
	}
	return true
}

// show prints a value for failure messages; cycles are cut.
func show(v any) string {
	var b strings.Builder
	showTo(&b, v, 0)
	return b.String()
}

func showTo(b *strings.Builder, v any, depth int) {
	if depth > 8 {
		b.WriteString("…")
		return
	}
	switch x := v.(type) {
	case *Object:
		fmt.Fprintf(b, "&Object{%q ", x.Class)
		if x.Traits != nil {
			fmt.Fprintf(b, "traits%+v ", *x.Traits)
		}
		showMembers(b, x.Members, depth)
		b.WriteString("}")
	case *ECMAArray:
		b.WriteString("&ECMA{")
		if x.Count != nil {
			fmt.Fprintf(b, "count=%d ", *x.Count)
		}
		showMembers(b, x.Members, depth)
		b.WriteString("}")
	case *Array:
		b.WriteString("&Array{[")
		for i, it := range x.Dense {
			if i > 0 {
				b.WriteString(" ")
			}
			showTo(b, it, depth+1)
		}
		b.WriteString("] ")
		showMembers(b, x.Assoc, depth)
		b.WriteString("}")
	case AVMPlus:
		b.WriteString("AVMPlus{")
		showTo(b, x.Value, depth+1)
		b.WriteString("}")
	case *Date:
		fmt.Fprintf(b, "&Date%+v", *x)
	case *XML:
		fmt.Fprintf(b, "&XML%+v", *x)
	case *ByteArray:
		fmt.Fprintf(b, "&ByteArray{%x}", x.Data)
	case *Vector:
		fmt.Fprintf(b, "&Vector%+v", *x)
	case *Dictionary:
		fmt.Fprintf(b, "&Dictionary{weak=%v [", x.WeakKeys)
		for _, e := range x.Entries {
			showTo(b, e.Key, depth+1)
			b.WriteString(":")
			showTo(b, e.Value, depth+1)
			b.WriteString(" ")
		}
		b.WriteString("]}")
	case float64:
		fmt.Fprintf(b, "%v(%016x)", x, math.Float64bits(x))
	default:
		fmt.Fprintf(b, "%#v", v)
	}
}

func showMembers(b *strings.Builder, ms []Member, depth int) {
	b.WriteString("{")
	for i, m := range ms {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(b, "%q:", m.Name)
		showTo(b, m.Value, depth+1)
	}
	b.WriteString("}")
}

// Constructors for expected values.

func anon(ms ...Member) *Object {
	return &Object{Members: ms, Traits: &Traits{Dynamic: true}}
}

func typed(class string, sealed []string, ms ...Member) *Object {
	return &Object{Class: class, Members: ms, Traits: &Traits{Class: class, Sealed: sealed}}
}

func ext(class string, ms ...Member) *Object {
	return &Object{Class: class, Members: ms, Traits: &Traits{Class: class, Externalizable: true}}
}

func obj0(ms ...Member) *Object { return &Object{Members: ms} }

func m(name string, v any) Member { return Member{name, v} }

func dense(items ...any) *Array {
	if items == nil {
		items = []any{}
	}
	return &Array{Dense: items}
}

func u32p(v uint32) *uint32 { return &v }

func f64bits(b uint64) float64 { return math.Float64frombits(b) }

func mustDecMode(t testing.TB, o DecOptions) *DecMode {
	t.Helper()
	dm, err := o.DecMode()
	if err != nil {
		t.Fatal(err)
	}
	return dm
}

func mustEncMode(t testing.TB, o EncOptions) *EncMode {
	t.Helper()
	em, err := o.EncMode()
	if err != nil {
		t.Fatal(err)
	}
	return em
}

func TestMustHex(t *testing.T) {
	got := mustHex(`00 0a"a b" FF`)
	if want := []byte{0, 10, 'a', ' ', 'b', 0xff}; !reflect.DeepEqual(got, want) {
		t.Fatalf("mustHex = %x, want %x", got, want)
	}
}
