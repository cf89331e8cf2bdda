package levy_test

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/levy-tariff/levy"
	"github.com/levy-tariff/levy/country"
	"github.com/levy-tariff/levy/date"
	"github.com/levy-tariff/levy/engine"
	"github.com/levy-tariff/levy/internal/testenv"
	"github.com/levy-tariff/levy/money"
)

// Thresholds of the Census oracle: levy's gross disagreement with the
// calculated duties of 2024, as a share of those duties (docs/FIDELITY.md).
const (
	oracleMaxOverall = 0.04
	oracleMaxChina   = 0.06
)

// oracleRow is one HTS-10 × country row of the Census 2024 imports.
type oracleRow struct {
	hts, origin, name string
	con, dut, cal     float64
	value             money.Decimal // the dutiable value, the value assessed
	rate              float64       // levy's mean rate over the twelve months
	err               string        // why levy could not assess the row
	apart             string        // why the assessed row is not compared
}

// TestCensusOracle2024 holds levy to the US Census Bureau's calculated duties
// of 2024: every HTS-10 × country row with a dutiable value is assessed on the
// 15th of each month of 2024 (the schedule is the embedded history, which
// reads 2024 against the 2025 Basic edition, the first revision levy holds),
// and levy's mean rate on the dutiable value is
// compared with cal_dut / dut_val. The figure is the gross disagreement,
// Σ |levy rate − Census rate| × dut_val, as a share of Census's calculated
// duty on the rows compared. Rows levy cannot assess without a fact Census
// does not give (a quantity for a specific rate) are counted and left out, as
// are rows with no dutiable value (program claims levy cannot see). One fact
// Census does give is read from it: a line whose base rate is free and that
// Census reports dutiable entered over its quota, so the oracle declares
// over-quota where levy asks that question.
func TestCensusOracle2024(t *testing.T) {
	imports := testenv.DataFile(t, "imports/us_imports_hts10_by_country_2024.csv.gz")
	t0 := time.Now()
	// levy's default data: the embedded history reads 2024 entries against
	// the 2025 Basic edition (with the retroactive corrections later
	// revisions date into 2024).
	lv, err := levy.Load(levy.Options{Measures: os.Getenv("LEVY_MEASURES")})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := lv.Snapshot("")
	if err != nil {
		t.Fatal(err)
	}
	rows, apart, err := readOracleRows(imports)
	if err != nil {
		t.Fatal(err)
	}
	var dates []date.Date
	for m := 1; m <= 12; m++ {
		dates = append(dates, date.MustParse(fmt.Sprintf("2024-%02d-15", m)))
	}
	assessOracleRows(snap, rows, dates)
	t.Logf("assessed %d rows × %d dates in %s", len(rows), len(dates), time.Since(t0).Round(time.Millisecond))

	type total struct{ cal, gross, over, under, dut float64 }
	var all total
	partners := map[string]*total{}
	names := map[string]string{}
	skipped := map[string][2]float64{}
	var cmp []*oracleRow
	apartGross := map[string]float64{}
	for i := range rows {
		r := &rows[i]
		if r.err != "" {
			s := skipped[r.err]
			skipped[r.err] = [2]float64{s[0] + 1, s[1] + r.cal}
			continue
		}
		if r.apart != "" {
			s := skipped[r.apart]
			skipped[r.apart] = [2]float64{s[0] + 1, s[1] + r.cal}
			apartGross[r.apart] += math.Abs(r.rate-r.cal/r.dut) * r.dut
			continue
		}
		cr := r.cal / r.dut
		d := (r.rate - cr) * r.dut
		p := partners[r.origin]
		if p == nil {
			p = &total{}
			partners[r.origin] = p
			names[r.origin] = r.name
		}
		for _, x := range []*total{&all, p} {
			x.cal += r.cal
			x.dut += r.dut
			x.gross += math.Abs(d)
			if d > 0 {
				x.over += d
			} else {
				x.under -= d
			}
		}
		cmp = append(cmp, r)
	}
	if path := os.Getenv("LEVY_ORACLE_DUMP"); path != "" {
		// For investigation: every compared row with both rates.
		var b strings.Builder
		b.WriteString("hts10,origin,dut_val,cal_dut,levy_rate\n")
		for _, r := range cmp {
			fmt.Fprintf(&b, "%s,%s,%.0f,%.0f,%.6f\n", r.hts, r.origin, r.dut, r.cal, r.rate)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	share := func(x *total) float64 {
		if x.cal == 0 {
			return 0
		}
		return x.gross / x.cal
	}
	t.Logf("compared %d rows: Census duty $%.2fB on dutiable $%.1fB; gross disagreement $%.2fB = %.2f%% (levy above Census $%.2fB, below $%.2fB)",
		len(cmp), all.cal/1e9, all.dut/1e9, all.gross/1e9, 100*share(&all), all.over/1e9, all.under/1e9)
	t.Logf("not compared: %d rows with no dutiable value (program claims, in-quota and other duty-free entries levy cannot see; consumption value $%.1fB)",
		apart.rows, apart.con/1e9)
	var reasons []string
	for k := range skipped {
		reasons = append(reasons, k)
	}
	sort.Strings(reasons)
	for _, k := range reasons {
		t.Logf("not compared: %d rows (Census duty $%.2fB): %s", int(skipped[k][0]), skipped[k][1]/1e9, k)
		if g, ok := apartGross[k]; ok {
			t.Logf("    (levy's gross disagreement on them, with the reading levy assumes: $%.2fB)", g/1e9)
		}
	}
	var keys []string
	for k := range partners {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return partners[keys[i]].gross > partners[keys[j]].gross })
	var b strings.Builder
	fmt.Fprintf(&b, "by partner (largest gross disagreement first):\n%-4s %-28s %12s %12s %8s %12s %12s\n", "ISO", "partner", "Census duty", "gross", "share", "levy above", "levy below")
	for i, k := range keys {
		if i == 25 {
			break
		}
		p := partners[k]
		fmt.Fprintf(&b, "%-4s %-28.28s %11.3fB %11.3fB %7.2f%% %11.3fB %11.3fB\n", k, names[k], p.cal/1e9, p.gross/1e9, 100*share(p), p.over/1e9, p.under/1e9)
	}
	t.Log(b.String())

	sort.Slice(cmp, func(i, j int) bool {
		return math.Abs(cmp[i].rate-cmp[i].cal/cmp[i].dut)*cmp[i].dut > math.Abs(cmp[j].rate-cmp[j].cal/cmp[j].dut)*cmp[j].dut
	})
	top := cmp
	if p := os.Getenv("LEVY_ORACLE_PARTNER"); p != "" {
		// Investigating one partner: its own largest disagreements.
		top = nil
		for _, r := range cmp {
			if r.origin == p {
				top = append(top, r)
			}
		}
	}
	b.Reset()
	b.WriteString("20 largest disagreements (levy's chapter 99 headings by month):\n")
	for i := 0; i < 20 && i < len(top); i++ {
		r := top[i]
		fmt.Fprintf(&b, "%2d. %s %s dutiable $%.0fM: levy %.2f%%, Census %.2f%%, difference $%.1fM; %s\n", i+1, r.hts, r.origin, r.dut/1e6,
			100*r.rate, 100*r.cal/r.dut, (r.rate-r.cal/r.dut)*r.dut/1e6, oracleLayers(snap, r, dates))
	}
	t.Log(b.String())

	if s := share(&all); s > oracleMaxOverall {
		t.Errorf("gross disagreement %.2f%% of Census's calculated duty, above %.0f%%", 100*s, 100*oracleMaxOverall)
	}
	if cn := partners["CN"]; cn == nil {
		t.Error("no China rows compared")
	} else if s := share(cn); s > oracleMaxChina {
		t.Errorf("gross disagreement for China %.2f%%, above %.0f%%", 100*s, 100*oracleMaxChina)
	} else {
		t.Logf("China: gross disagreement %.2f%% ($%.2fB of $%.2fB)", 100*s, cn.gross/1e9, cn.cal/1e9)
	}
}

type oracleApart struct {
	rows int
	con  float64
}

// readOracleRows reads the Census file; rows with a dutiable value are
// returned, the others counted.
func readOracleRows(path string) ([]oracleRow, oracleApart, error) {
	var apart oracleApart
	f, err := os.Open(path)
	if err != nil {
		return nil, apart, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, apart, err
	}
	cr := csv.NewReader(gz)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return nil, apart, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, c := range []string{"cty_name", "hts10", "con_val_usd", "dut_val_usd", "cal_dut_usd"} {
		if _, ok := col[c]; !ok {
			return nil, apart, fmt.Errorf("%s: no column %s", path, c)
		}
	}
	iso := map[string]string{}
	var rows []oracleRow
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, apart, err
		}
		num := func(c string) float64 {
			v, err := strconv.ParseFloat(rec[col[c]], 64)
			if err != nil {
				return math.NaN()
			}
			return v
		}
		con, dut, cal := num("con_val_usd"), num("dut_val_usd"), num("cal_dut_usd")
		if math.IsNaN(con + dut + cal) {
			return nil, apart, fmt.Errorf("%s:%d: a value is not a number", path, line)
		}
		if dut <= 0 {
			apart.rows++
			apart.con += con
			continue
		}
		name := rec[col["cty_name"]]
		o, ok := iso[name]
		if !ok {
			if c, found := country.ByName(name); found {
				o = c.Code
			}
			iso[name] = o
		}
		r := oracleRow{hts: rec[col["hts10"]], origin: o, name: name, con: con, dut: dut, cal: cal}
		r.value, err = money.Parse(rec[col["dut_val_usd"]])
		if err != nil {
			return nil, apart, fmt.Errorf("%s:%d: %v", path, line, err)
		}
		if o == "" {
			r.err = "country not in ISO 3166-1"
		}
		rows = append(rows, r)
	}
	return rows, apart, nil
}

// assessOracleRows assesses every row on every date, in parallel, and sets
// each row's mean rate or the reason it could not be assessed.
func assessOracleRows(snap *engine.Snapshot, rows []oracleRow, dates []date.Date) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	next := make(chan int, workers)
	const chunk = 512
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var a engine.Assessment
			for lo := range next {
				for i := lo; i < lo+chunk && i < len(rows); i++ {
					assessOracleRow(snap, &rows[i], dates, &a)
				}
			}
		}()
	}
	for lo := 0; lo < len(rows); lo += chunk {
		next <- lo
	}
	close(next)
	wg.Wait()
}

func assessOracleRow(snap *engine.Snapshot, r *oracleRow, dates []date.Date, a *engine.Assessment) {
	if r.err != "" {
		return
	}
	sum := 0.0
	for _, d := range dates {
		q := engine.Query{HTS: r.hts, Origin: r.origin, EntryDate: d, KnownOn: date.None, ExportDate: date.None, Value: r.value}
		err := snap.AssessInto(&q, a)
		if notFound(err) {
			// Census reports an 8-digit line with no statistical suffix as
			// xxxxxxxx00, and a 2024 statistical number the 2025 edition
			// renumbered under its 8-digit subheading, which sets the rates.
			q.HTS = r.hts[:8]
			err = snap.AssessInto(&q, a)
		}
		if err != nil {
			r.err = oracleReason(err)
			return
		}
		if overQuota(a) {
			// A duty-free line that Census reports dutiable entered over its
			// quota: the one fact of a quota question that Census gives.
			q.Claims = overQuotaClaim
			if err := snap.AssessInto(&q, a); err != nil {
				r.err = oracleReason(err)
				return
			}
		}
		if f := productQuestion(a); f != "" && r.apart == "" {
			r.apart = "the duty depends on which product of the line the goods are (levy asks " + f + "), which Census does not give"
		}
		duty, _ := strconv.ParseFloat(a.Duty.String(), 64)
		sum += duty / r.dut
	}
	r.rate = sum / float64(len(dates))
}

var overQuotaClaim = []string{"over-quota"}

// productFacts are the questions that ask which product within a statistical
// line the goods are: a product a USTR exclusion describes, a bifacial panel,
// a ship-to-shore crane among the cranes of 8426.19.00. A Census row mixes the
// products of its line, so levy's rate for it depends on a fact Census does
// not give, as a specific rate depends on a quantity: such rows are counted
// apart (LEVY_ORACLE_ALL=1 compares them too).
var productFacts = map[string]bool{"ustr-exclusion": true, "bifacial-panel": true, "bifacial-contract-2024-05-17": true,
	"ship-to-shore-crane": true, "sts-crane-contract-2024-05-14": true, "cspv-cells-attached": true,
	"annex-described-article": true, "intermodal-chassis": true}

var oracleAll = os.Getenv("LEVY_ORACLE_ALL") == "1"

// productQuestion returns the first product question of a whose answer
// would change the duty, or "".
func productQuestion(a *engine.Assessment) string {
	if oracleAll {
		return ""
	}
	for _, qu := range a.Questions {
		if productFacts[qu.Fact] {
			return qu.Fact
		}
	}
	return ""
}

// overQuota reports whether a asks the quota question on a line whose base
// rate charges nothing.
func overQuota(a *engine.Assessment) bool {
	if len(a.Layers) == 0 || !a.Layers[0].Amount.IsZero() {
		return false
	}
	for _, qu := range a.Questions {
		if qu.Fact == "over-quota" {
			return true
		}
	}
	return false
}

func notFound(err error) bool {
	var e *engine.Error
	return errors.As(err, &e) && e.Code == engine.CodeNotFound && e.Field == "hts"
}

func oracleReason(err error) string {
	var e *engine.Error
	if !errors.As(err, &e) {
		return "other error"
	}
	switch {
	case e.Code == engine.CodeNotFound && e.Field == "hts":
		return "HTS number not in the 2025 Basic schedule"
	case e.Code == engine.CodeUnknown && e.Field == "quantity":
		return "base rate needs a quantity (specific or compound rate)"
	case e.Code == engine.CodeUnknown:
		return "rate text levy cannot compute"
	}
	return "error: " + e.Code
}

// oracleLayers describes levy's chapter 99 headings on a row, month by month.
func oracleLayers(snap *engine.Snapshot, r *oracleRow, dates []date.Date) string {
	var parts []string
	prev := "?"
	for _, d := range dates {
		q := engine.Query{HTS: r.hts, Origin: r.origin, EntryDate: d, KnownOn: date.None, ExportDate: date.None, Value: r.value}
		a, err := snap.Assess(&q)
		if notFound(err) {
			q.HTS = r.hts[:8]
			a, err = snap.Assess(&q)
		}
		if err == nil && overQuota(a) {
			q.Claims = overQuotaClaim
			a, err = snap.Assess(&q)
		}
		if err != nil {
			continue
		}
		var ls []string
		for _, l := range a.Layers {
			if !l.Amount.IsZero() || l.Kind == engine.BaseLayer {
				ls = append(ls, l.Heading+" "+l.Rate)
			}
		}
		s := strings.Join(ls, " + ")
		if s != prev {
			parts = append(parts, d.String()[5:7]+": "+s)
			prev = s
		}
	}
	return strings.Join(parts, "; ")
}
