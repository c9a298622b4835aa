package convert

import (
	"fmt"
	"sort"

	"github.com/amfcall/amfcall/amf"
)

func sortedMembers(m map[string]any) []amf.Member {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]amf.Member, len(keys))
	for i, k := range keys {
		out[i] = amf.Member{Name: k, Value: m[k]}
	}
	return out
}

func errUnsupportedGo(v any) error {
	return fmt.Errorf("cannot write Go type %T as JSON", v)
}

func goInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	}
	return 0, false
}
