package convert

import (
	"strings"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestFlexAliasWarning: a "$class" naming a Flex class by its
// ActionScript name (mx.collections.ArrayCollection...), which BlazeDS
// does not know, is written as given, with one warning naming the alias
// Flex registers; Flex's own alias, and other classes, are not warned of.
func TestFlexAliasWarning(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"$class":"mx.collections.ArrayCollection","source":[1]}`,
			`"$class" "mx.collections.ArrayCollection" (line 1, column 11) is the ActionScript name, which Flex registers as "flex.messaging.io.ArrayCollection": BlazeDS knows that alias only, and reads the other as a typed object of an unknown class, not a List; written as given (give "$class": "flex.messaging.io.ArrayCollection" for Flex's)`},
		{"[1,\n {\"$class\": \"mx.utils.ObjectProxy\", \"object\": {}},\n {\"$class\":\"mx.collections.ArrayList\",\"source\":[]}]",
			`"$class" "mx.utils.ObjectProxy" (line 2, column 13) (and 1 more such classes) is the ActionScript name, which Flex registers as "flex.messaging.io.ObjectProxy": BlazeDS knows that alias only, and reads the other as a typed object of an unknown class, not a proxied object; written as given (give "$class": "flex.messaging.io.ObjectProxy" for Flex's)`},
		{`{"$class":"flex.messaging.io.ArrayCollection","source":[1]}`, ""},
		{`{"$class":"com.acme.ArrayCollection","source":[1]}`, ""},
		{`{"$$class":"mx.collections.ArrayCollection"}`, ""},
	} {
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			var warns []string
			v, err := FromJSONWarnIn([]byte(tc.in), ver, func(m string) { warns = append(warns, m) })
			if err != nil {
				t.Fatalf("%s: %v", tc.in, err)
			}
			if got := strings.Join(warns, "\n"); got != tc.want {
				t.Errorf("%s (%v): warnings\n%s\nwant\n%s", tc.in, ver, got, tc.want)
			}
			// Written as given: the same value as without the warning.
			plain, _ := FromJSON([]byte(tc.in))
			a, _ := amf.Marshal(v, amf.AMF3)
			b, _ := amf.Marshal(plain, amf.AMF3)
			if string(a) != string(b) {
				t.Errorf("%s: the value differs from FromJSON's", tc.in)
			}
			if strings.Contains(tc.in, "mx.collections.ArrayCollection") && !strings.Contains(string(a), "mx.collections.ArrayCollection") {
				t.Errorf("%s: the class was rewritten", tc.in)
			}
		}
	}
}
