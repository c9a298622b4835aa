package convert

import (
	"strconv"
	"strings"
	"testing"
)

// A .sol's data object with "$id" given twice was written with the
// first (scanner) or the last (value model), unsaid, while an annotation
// given twice in any other object is refused (TestAnnotationGivenTwice).
// Now both readers refuse it, naming the second.
func TestSOLDataIDGivenTwice(t *testing.T) {
	for _, in := range []string{
		`{"sol":"x","version":0,"data":{"$id":1,"a":{"$ref":1},"$id":2}}`,
		`{"sol":"x","version":0,"data":{"$id":1,"a":{"$ref":1},"$id":1}}`,
		`{"sol":"x","version":3,"data":{"$id":1,"$id":2,"a":1}}`,
	} {
		col := strings.LastIndex(in, `"$id"`) + len(`"$id":`) + 1
		want := `"$id" is given twice in a .sol's data object at "/data/$id", line 1, column ` + strconv.Itoa(col)
		if _, err := AppendSOLJSON(nil, []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("AppendSOLJSON(%s) = %v, want %q", in, err, want)
		}
		if _, err := SOLFromJSON([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("SOLFromJSON(%s) = %v, want %q", in, err, want)
		}
	}
	// Once is still the data object.
	if _, err := AppendSOLJSON(nil, []byte(`{"sol":"x","version":0,"data":{"$id":1,"a":{"$ref":1}}}`)); err != nil {
		t.Error(err)
	}
}
