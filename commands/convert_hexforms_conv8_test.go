package commands

import "testing"

// Bytes pasted from Wireshark ("Copy as Escaped String", a field's
// colon-separated bytes) or from a C array convert as bare hex does,
// guessed or with --from hex:amf3.
func TestConvertHexFormsConv8(t *testing.T) {
	for _, in := range []string{
		`\x0a\x0b\x01\x03\x61\x04\x01\x01` + "\n",
		"0a:0b:01:03:61:04:01:01\n",
		"0x0a, 0x0b, 0x01, 0x03, 0x61, 0x04, 0x01, 0x01\n",
	} {
		for _, args := range [][]string{{"convert"}, {"convert", "--from", "hex:amf3"}} {
			stdout, stderr, code := run(t, args, in, nil, false)
			if code != 0 || stdout != "{\"a\":1}\n" || stderr != "" {
				t.Errorf("%q %v: exit %d, stdout %q, stderr %q; want {\"a\":1}", in, args, code, stdout, stderr)
			}
		}
	}
}
