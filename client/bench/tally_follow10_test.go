package bench

import (
	"strconv"
	"testing"
)

// TestTallyOthersFirst: a worker's count of OtherKinds, merged into the
// summary before its 100th kind, took the place of a kind, so that the
// summary told apart only 99 (TestHostileFaultCodes failed about 1 run in
// 30, when the merge met that entry early). Here the order is fixed: the
// others come first.
func TestTallyOthersFirst(t *testing.T) {
	m := map[string]int64{}
	tally(m, OtherKinds, 7)
	for i := range MaxCountKinds + 5 {
		tally(m, "code-"+strconv.Itoa(i), 1)
	}
	if kinds(m) != MaxCountKinds || len(m) != MaxCountKinds+1 {
		t.Fatalf("%d entries, %d kinds told apart; want %d and the others", len(m), kinds(m), MaxCountKinds)
	}
	if m[OtherKinds] != 7+5 {
		t.Errorf("%d counted as others, want 12", m[OtherKinds])
	}
	// a kind already told apart is still counted as itself
	tally(m, "code-0", 2)
	if m["code-0"] != 3 {
		t.Errorf("code-0 counted %d times, want 3", m["code-0"])
	}
}

// TestAddCountsOthersAnyOrder merges one worker's tallies (100 kinds and
// its others) into a summary that already holds some, over and over: Go
// walks a map in a new order each time, so the others entry comes at any
// place. Every merge must tell 100 kinds apart.
func TestAddCountsOthersAnyOrder(t *testing.T) {
	src := map[string]int64{}
	for i := range MaxCountKinds + 20 {
		tally(src, "a-"+strconv.Itoa(i), 1)
	}
	for range 200 {
		dst := map[string]int64{}
		for i := range 30 {
			tally(dst, "b-"+strconv.Itoa(i), 1)
		}
		addCounts(dst, src)
		total := int64(0)
		for _, v := range dst {
			total += v
		}
		if kinds(dst) != MaxCountKinds || total != 30+MaxCountKinds+20 || dst[OtherKinds] != total-MaxCountKinds {
			t.Fatalf("%d kinds told apart, %d counted, %d as others; want %d, %d, %d", kinds(dst), total, dst[OtherKinds], MaxCountKinds, 150, 50)
		}
	}
}
