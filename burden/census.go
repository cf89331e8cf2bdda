package burden

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/levy-tariff/levy/weights"
)

// WeightsEntryYear weights each entry date by the imports of its own year.
const WeightsEntryYear = "entry"

// CensusWeights returns the embedded Census imports as weights: with
// "entry" (or "") each entry date is weighted by its own year's imports,
// dates after the last year levy holds by the last year's and dates before
// the first by the first's; with a year ("2024"), that year's imports
// weight every date: a fixed basket, as the Yale Budget Lab tracker uses
// (2024, before the tariffs of 2025 changed what was imported).
func CensusWeights(choice string) (*Weights, error) {
	years := weights.CensusYears()
	if len(years) == 0 {
		return nil, fmt.Errorf("no embedded Census imports")
	}
	c := strings.TrimSpace(choice)
	if c == "" || c == WeightsEntryYear {
		label := fmt.Sprintf("Census imports for consumption of each entry date's year (%s; later dates: %d)", joinYears(years), years[len(years)-1])
		return lazyByYear(years, censusBasket, label), nil
	}
	y, err := strconv.Atoi(c)
	if err != nil || !slices.Contains(years, y) {
		return nil, fmt.Errorf("weights year %q: want %s or one of %s", choice, WeightsEntryYear, joinYears(years))
	}
	label := fmt.Sprintf("Census imports for consumption %d, for every date (fixed basket)", y)
	return lazyByYear([]int{y}, censusBasket, label), nil
}

// censusBasket is the basket of the embedded Census imports of year, of
// the origins only (all if none).
func censusBasket(year int, origins []string) (*Basket, error) {
	t, err := weights.Census(year)
	if err != nil {
		return nil, err
	}
	return FromCensus(t, origins...), nil
}

func joinYears(ys []int) string {
	var s []string
	for _, y := range ys {
		s = append(s, strconv.Itoa(y))
	}
	return strings.Join(s, ", ")
}
