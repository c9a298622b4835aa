package client

import (
	"os"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// TestAudit9NewFaultAMF0 holds protocol-digest.md §3.6: an /onStatus
// body whose value is an AMF0 object with code/description is a fault
// built from its fields; a missing level is "error" (as PyAMF defaults
// it); any other value is kept as it came (a string becomes the
// description).
func TestAudit9NewFaultAMF0(t *testing.T) {
	// PyAMF's own fault reply (testdata/pyamf/vectors, written by PyAMF).
	data, err := os.ReadFile("../testdata/pyamf/vectors/env_resp_fault_amf0.amf")
	if err != nil {
		t.Fatal(err)
	}
	p, err := amf.UnmarshalPacket(data)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFault("echo.fail", "/1", p.Messages[0].Value)
	if f.Code != "Echo.Failure" || f.Description != "boom" || f.Level != "error" || f.Details != "" || f.Type != "" || f.Value != p.Messages[0].Value {
		t.Errorf("PyAMF fault = %+v", f)
	}
	if f.Error() != "Echo.Failure: boom" {
		t.Errorf("Error() = %q", f.Error())
	}

	// A BlazeDS-style status object (StatusInfoProxy): no level, with
	// details, type and a nested rootcause.
	var v any
	blaze := []byte("\x03" +
		"\x00\x04code\x02\x00\x11Server.Processing" +
		"\x00\x0bdescription\x02\x00\x04oops" +
		"\x00\x07details\x02\x00\x05trace" +
		"\x00\x04type\x02\x00\x15java.lang.IllegalArgs" +
		"\x00\x09rootcause\x03\x00\x04code\x02\x00\x01x\x00\x00\x09" +
		"\x00\x00\x09")
	if err := amf.Unmarshal(blaze, amf.AMF0, &v); err != nil {
		t.Fatal(err)
	}
	f = NewFault("svc.op", "/2", v)
	if f.Code != "Server.Processing" || f.Description != "oops" || f.Details != "trace" || f.Type != "java.lang.IllegalArgs" || f.Level != "error" {
		t.Errorf("BlazeDS-style fault = %+v", f)
	}

	// Neither a status object nor an ErrorMessage: the raw value is kept.
	f = NewFault("svc.op", "/3", 42.0)
	if f.Value != 42.0 || f.Code != "" || f.Level != "error" || f.Error() != "fault: (no description)" {
		t.Errorf("number fault = %+v, %q", f, f.Error())
	}
	f = NewFault("svc.op", "/4", "went wrong")
	if f.Description != "went wrong" || f.Value != "went wrong" || f.Error() != "fault: went wrong" {
		t.Errorf("string fault = %+v, %q", f, f.Error())
	}
}
