package convert

import (
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// datesTZ is an array of n dates each with a time zone, whose typed
// JSON is {"$date": ..., "$tz": -60} each.
func datesTZ(n int) any {
	a := &amf.Array{}
	for i := range n {
		a.Dense = append(a.Dense, &amf.Date{Ms: 1261836495023 + float64(i)*1000, TZ: -60})
	}
	return a
}

// BenchmarkJSONToAMF0_DatesTZ is the direct writer on typed dates with
// "$tz" (kept in AMF0); BenchmarkJSONToAMF3_DatesTZ the same text to AMF3,
// where each "$tz" is noted for the warning; BenchmarkModelJSONToAMF3_DatesTZ
// the value model on it.
func BenchmarkJSONToAMF0_DatesTZ(b *testing.B) {
	benchJSONToAMF(b, datesTZ(10000), &Options{Typed: true}, amf.AMF0)
}

func BenchmarkJSONToAMF3_DatesTZ(b *testing.B) {
	benchJSONToAMF(b, datesTZ(10000), &Options{Typed: true}, amf.AMF3)
}

func BenchmarkModelJSONToAMF3_DatesTZ(b *testing.B) {
	benchJSONText(b, datesTZ(10000), &Options{Typed: true}, amf.AMF3, appendModelOf)
}
