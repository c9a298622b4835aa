package amf

import "testing"

// TestReadBatchDatesAsTableGrowsPerf16: dates of dynamic objects, each
// an entry of the object table, met when the table is full (it grows in
// the middle of run3's loop over the members), agree with NextToken's
// tokens, and the references to them after.
func TestReadBatchDatesAsTableGrowsPerf16(t *testing.T) {
	items := make([]any, 0, 1400)
	dates := make([]any, 0, 900)
	for i := range 700 {
		ms := []Member{{Name: "d", Value: &Date{Ms: float64(i)}}, {Name: "x", Value: Int(i)}}
		if i%3 == 0 {
			ms = append(ms, Member{Name: "e", Value: &Date{Ms: float64(-i)}})
		}
		for _, m := range ms {
			if d, ok := m.Value.(*Date); ok {
				dates = append(dates, d)
			}
		}
		items = append(items, &Object{Members: ms})
	}
	items = append(items, &Object{Members: []Member{{Name: "all", Value: &Array{Dense: dates}}}})
	data, err := Marshal(&Array{Dense: items}, AMF3)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []*DecMode{defaultDecMode, tightDecMode} {
		checkScalars(t, m, data, AMF3)
	}
}
