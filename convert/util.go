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
