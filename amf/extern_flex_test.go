package amf

import (
	"regexp"
	"testing"
)

// TestFlexField reads the DSK example of protocol digest §4.6: its ids
// are 16-byte ByteArrays, read as upper-case UUID strings.
func TestFlexField(t *testing.T) {
	data := mustHex(`0A 07 07 "DSK" A1 03 06 05 "hi" 05 42 78 BC FE 56 80 00 00
		0C 21 3F 25 04 E0 4F 89 11 D3 9A 0C 03 05 E8 2C 33 01
		0C 21 0A 0B 0C 0D 0E 0F 10 11 12 13 14 15 16 17 18 19
		02 0C 21 C0 FF EE 00 11 11 22 22 33 33 44 44 55 55 66 66
		00`)
	var v any
	if err := Unmarshal(data, AMF3, &v); err != nil {
		t.Fatal(err)
	}
	o := v.(*Object)
	for _, tc := range []struct {
		field string
		want  any
	}{
		{"body", "hi"},
		{"timestamp", 1.7e12},
		{"clientId", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"},
		{"messageId", "0A0B0C0D-0E0F-1011-1213-141516171819"},
		{"correlationId", "C0FFEE00-1111-2222-3333-444455556666"},
		{"destination", nil},
	} {
		if got := FlexField(o, tc.field); got != tc.want {
			t.Errorf("FlexField(DSK, %q) = %#v, want %#v", tc.field, got, tc.want)
		}
	}
	if !IsFlexMessage(o.Class) || IsFlexMessage("flex.messaging.io.ArrayCollection") || !IsFlexMessage(ClassErrorMessage) {
		t.Error("IsFlexMessage")
	}
	// A ByteArray of another length is no id.
	bad := &Object{Class: ClassDSK, Members: []Member{{Name: "clientIdBytes", Value: &ByteArray{Data: []byte{1, 2}}}}}
	if got := FlexField(bad, "clientId"); got != nil {
		t.Errorf("FlexField(2-byte id) = %#v", got)
	}
}

func TestNewFlexID(t *testing.T) {
	re := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	a, b := NewFlexID(), NewFlexID()
	if !re.MatchString(a) || a == b {
		t.Errorf("NewFlexID() = %q, %q", a, b)
	}
}
