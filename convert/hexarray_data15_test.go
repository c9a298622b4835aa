package convert

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestHexArrayDeclaration: xxd -i FILE writes the bytes as a C array
// with its declaration and a length line; the bare "0x00, 0xbf" list
// was read, the whole output was "text, not AMF". Now it is read as the
// same bytes, and so are JavaScript and Java arrays; text around an
// array that is not such a declaration is still not hex.
func TestHexArrayDeclaration(t *testing.T) {
	sol, err := solFromJSONForTest(`{"sol":"prefs","data":{"a":1}}`)
	if err != nil {
		t.Fatal(err)
	}
	var list []string
	for _, b := range sol {
		list = append(list, fmt.Sprintf("0x%02x", b))
	}
	body := strings.Join(list, ", ")
	for _, in := range []string{
		"unsigned char prefs_sol[] = {\n  " + body + "\n};\nunsigned int prefs_sol_len = " + fmt.Sprint(len(sol)) + ";\n",
		"const b = [" + body + ",];",
		"uint8_t b[] = {" + body + "}",
	} {
		src, err := Load([]byte(in), "in", InSpec{})
		if err != nil {
			t.Errorf("%.40q: %v", in, err)
			continue
		}
		if src.Kind != KindSOL || src.Encoding != Hex || !bytes.Equal(src.Data, sol) {
			t.Errorf("%.40q: kind %v, encoding %v, %d bytes", in, src.Kind, src.Encoding, len(src.Data))
		}
	}
	for _, in := range []string{
		"unsigned char f[] = {" + body + "}; int main() { return 0; }",
		"x = {" + body,
		`{"a": [0x01]}`,
	} {
		if body := arrayBody([]byte(in)); body != nil {
			t.Errorf("%.40q: read as an array: %.40q", in, body)
		}
	}
}

func solFromJSONForTest(j string) ([]byte, error) {
	src, err := Load([]byte(j), "in.json", InSpec{})
	if err != nil {
		return nil, err
	}
	tg, err := src.Target(OutSpec{Format: "sol"})
	if err != nil {
		return nil, err
	}
	return src.Render(tg, &Options{})
}
