package convert

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/amfcall/amfcall/amf"
)

// A typed "$date" is RFC 3339 text (§5.6): lower-case t and z are
// allowed there and were refused; a leap second (23:59:60 UTC, §5.7) was
// refused and is read as 23:59:59 with its fraction (AMF's milliseconds
// have no leap seconds); what RFC 3339 does not allow and Go's parser
// took (a fraction after a comma, offsets of +24:00 or 60 minutes) is
// refused, each with what is wrong.
func TestDateRFC3339(t *testing.T) {
	ms := func(s string) float64 {
		t.Helper()
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return float64(tm.Unix())*1000 + float64(tm.Nanosecond())/1e6
	}
	for _, c := range []struct{ in, same string }{
		{"2020-01-01t00:00:00z", "2020-01-01T00:00:00Z"},
		{"2020-01-01t10:00:00.25+02:00", "2020-01-01T08:00:00.25Z"},
		{"2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"},
		{"2016-12-31T23:59:60.999Z", "2016-12-31T23:59:59.999Z"},
		{"2017-01-01T08:59:60+09:00", "2016-12-31T23:59:59Z"},
		{"2016-12-31T18:29:60-05:30", "2016-12-31T23:59:59Z"},
		{"2015-06-30t23:59:60.5z", "2015-06-30T23:59:59.5Z"},
	} {
		in := `{"$date":"` + c.in + `"}`
		v, err := FromJSON([]byte(in))
		if d, ok := v.(*amf.Date); err != nil || !ok || d.Ms != ms(c.same) {
			t.Errorf("FromJSON(%s) = %#v, %v; want ms %v", in, v, err, ms(c.same))
		}
		for _, ver := range []amf.Version{amf.AMF0, amf.AMF3} {
			got, err := AppendJSONAsAMF(nil, []byte(in), ver)
			want, _ := AppendJSONAsAMF(nil, []byte(`{"$date":"`+c.same+`"}`), ver)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("AppendJSONAsAMF(%s, %v) = %x, %v; want %x", in, ver, got, err, want)
			}
		}
	}
	for _, c := range []struct{ in, why string }{
		{"2016-12-31T12:00:60Z", "a leap second, :60, comes only at 23:59:60 UTC"},
		{"2016-12-31T23:59:60+01:00", "a leap second, :60, comes only at 23:59:60 UTC"},
		{"2016-12-31T23:59:61Z", "second 61 is out of range: 00-60"},
		{"2020-01-01T00:00:00,5Z", "a fraction of a second follows a ., not a ,"},
		{"2020-01-01T00:00:00.Z", "a fraction of a second has at least one digit after the ."},
		{"2020-01-01T00:00:00+24:00", "the time zone +24:00 is out of range: hours 00-23, minutes 00-59"},
		{"2020-01-01T00:00:00+01:60", "the time zone +01:60 is out of range: hours 00-23, minutes 00-59"},
		{"2020-01-01T00:00:00+0100", "the time zone is missing or malformed: want Z or ±hh:mm"},
		{"2020-01-01T00:00:00", "the time zone is missing or malformed: want Z or ±hh:mm"},
		{"2020-01-01 00:00:00Z", "the date and the time are joined by T, not by a space"},
		{"2020-02-30T00:00:00Z", "day 30 is out of range for 2020-02"},
		{"2020-13-01T00:00:00Z", "month 13 is out of range"},
		{"2020-01-01T24:00:00Z", "hour 24 is out of range: 00-23"},
		{"2020-01-01T00:60:00Z", "minute 60 is out of range: 00-59"},
		{"2020-1-01T00:00:00Z", "want YYYY-MM-DDThh:mm:ss, an optional .fraction, then Z or ±hh:mm"},
		{"2020-01-01T00:00:00Zx", "want YYYY-MM-DDThh:mm:ss, an optional .fraction, then Z or ±hh:mm"},
	} {
		in := `{"$date":"` + c.in + `"}`
		want := `json: $date "` + c.in + `" is not an RFC 3339 date (` + c.why + `) at "/$date", line 1, column 10 (offset 9)`
		if _, err := FromJSON([]byte(in)); err == nil || err.Error() != want {
			t.Errorf("FromJSON(%s) = %v\nwant %s", in, err, want)
		}
		if _, err := AppendJSONAsAMF(nil, []byte(in), amf.AMF3); err == nil || !strings.Contains(err.Error(), c.why) {
			t.Errorf("AppendJSONAsAMF(%s) = %v, want %q", in, err, c.why)
		}
	}
	// Every date time.Parse read, in any offset, reads as it did.
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		tm := time.UnixMilli(rng.Int64N(253402300800000)).Add(time.Duration(rng.IntN(1000)) * time.Microsecond)
		tm = tm.In(time.FixedZone("", (rng.IntN(47)-23)*3600+rng.IntN(2)*1800))
		s := tm.Format(time.RFC3339Nano)
		got, why := parseDateText(s)
		if why != "" || got != ms(s) {
			t.Fatalf("%s: %v (%s), time.Parse %v", s, got, why, ms(s))
		}
	}
}
