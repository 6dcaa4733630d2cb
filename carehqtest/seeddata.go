package carehqtest

// The word lists seeded service users are made from: names common among
// older people in the UK, towns with their counties, postcode areas and
// positions, and the kind of notes a care provider keeps.

var femaleFirstNames = []string{
	"Margaret", "Joan", "Dorothy", "Patricia", "Barbara", "Jean", "Sheila", "Irene",
	"Doreen", "Eileen", "Betty", "Brenda", "Maureen", "Pauline", "Valerie", "Sylvia",
	"Audrey", "Vera", "Elsie", "Edna", "Gladys", "Mavis", "Hilda", "Rita", "Kathleen",
	"Mary", "Elizabeth", "Ann", "Christine", "Susan", "Linda", "Carol", "Janet", "June",
	"Marjorie", "Winifred", "Beryl", "Phyllis", "Evelyn", "Iris", "Ivy", "Lilian",
	"Muriel", "Olive", "Rose", "Violet", "Ethel", "Grace", "Norma", "Shirley", "Gwendoline",
	"Agnes", "Nora", "Freda", "Gillian", "Anna", "Beth", "Carolyn", "Charlene", "Siobhan",
	"Bronwen", "Fiona", "Morag", "Aisha", "Parveen", "Harjit",
}

var maleFirstNames = []string{
	"John", "David", "Michael", "Peter", "Robert", "William", "James", "Brian", "Kenneth",
	"Ronald", "Dennis", "Derek", "Raymond", "Alan", "Anthony", "George", "Frank", "Harold",
	"Arthur", "Albert", "Norman", "Stanley", "Leslie", "Roy", "Eric", "Geoffrey", "Colin",
	"Keith", "Terence", "Bernard", "Gordon", "Malcolm", "Trevor", "Barry", "Graham",
	"Ernest", "Walter", "Frederick", "Sidney", "Cyril", "Reginald", "Douglas", "Donald",
	"Patrick", "Thomas", "Richard", "Charles", "Edward", "Henry", "Alfred", "Clifford",
	"Bruce", "Damien", "Hugh", "Ian", "Neil", "Stuart", "Vincent", "Gareth", "Hamish",
	"Mohammed", "Rajesh", "Gurdeep", "Seamus",
}

var neutralFirstNames = []string{"Alex", "Sam", "Jo", "Robin", "Charlie", "Jamie"}

var nicknames = map[string]string{
	"Margaret": "Maggie", "Elizabeth": "Betty", "Dorothy": "Dot", "Patricia": "Pat",
	"Kathleen": "Kath", "Gwendoline": "Gwen", "Winifred": "Winnie", "Christine": "Chris",
	"Susan": "Sue", "Marjorie": "Marj", "William": "Bill", "Robert": "Bob",
	"Frederick": "Fred", "Albert": "Bert", "Edward": "Ted", "James": "Jim", "Thomas": "Tom",
	"Anthony": "Tony", "Michael": "Mick", "Reginald": "Reg", "Leslie": "Les",
	"Sidney": "Sid", "Henry": "Harry", "Alfred": "Alf", "Terence": "Terry", "Kenneth": "Ken",
	"Ronald": "Ron", "Donald": "Don", "Geoffrey": "Geoff", "Stanley": "Stan",
}

var lastNames = []string{
	"Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas",
	"Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards",
	"Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood",
	"Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King",
	"Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis",
	"Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook",
	"Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox",
	"Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh",
	"Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason",
	"Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills",
	"Barnes", "Knight", "Lloyd", "Butler", "Russell", "Fisher", "Jenkins", "Murray",
	"Dixon", "Bishop", "Moss", "O'Brien", "McDonald", "MacLeod", "Fitzgerald",
	"Jones-Parry", "Ap Rhys",
}

// town is a place seeded addresses are in; lon and lat are its centre.
type town struct {
	name, county, postcodeArea string
	lon, lat                   float64
}

var towns = []town{
	{"Leeds", "West Yorkshire", "LS", -1.5491, 53.8008},
	{"Manchester", "Greater Manchester", "M", -2.2426, 53.4808},
	{"Birmingham", "West Midlands", "B", -1.8904, 52.4862},
	{"Bristol", "Bristol", "BS", -2.5879, 51.4545},
	{"Norwich", "Norfolk", "NR", 1.2974, 52.6309},
	{"York", "North Yorkshire", "YO", -1.0815, 53.9590},
	{"Exeter", "Devon", "EX", -3.5339, 50.7184},
	{"Nottingham", "Nottinghamshire", "NG", -1.1581, 52.9548},
	{"Leicester", "Leicestershire", "LE", -1.1398, 52.6369},
	{"Sheffield", "South Yorkshire", "S", -1.4701, 53.3811},
	{"Newcastle upon Tyne", "Tyne and Wear", "NE", -1.6178, 54.9783},
	{"Brighton", "East Sussex", "BN", -0.1372, 50.8225},
	{"Cambridge", "Cambridgeshire", "CB", 0.1218, 52.2053},
	{"Oxford", "Oxfordshire", "OX", -1.2577, 51.7520},
	{"Bath", "Somerset", "BA", -2.3590, 51.3811},
	{"Chester", "Cheshire", "CH", -2.8910, 53.1934},
	{"Harrogate", "North Yorkshire", "HG", -1.5372, 53.9921},
	{"Canterbury", "Kent", "CT", 1.0789, 51.2802},
	{"Worcester", "Worcestershire", "WR", -2.2200, 52.1920},
	{"Lincoln", "Lincolnshire", "LN", -0.5400, 53.2307},
	{"Cardiff", "South Glamorgan", "CF", -3.1791, 51.4816},
	{"Swansea", "West Glamorgan", "SA", -3.9436, 51.6214},
	{"Edinburgh", "Midlothian", "EH", -3.1883, 55.9533},
	{"Glasgow", "Lanarkshire", "G", -4.2518, 55.8642},
	{"Belfast", "County Antrim", "BT", -5.9301, 54.5973},
	{"Ipswich", "Suffolk", "IP", 1.1555, 52.0567},
	{"Carlisle", "Cumbria", "CA", -2.9339, 54.8925},
	{"Truro", "Cornwall", "TR", -5.0510, 50.2632},
	{"Shrewsbury", "Shropshire", "SY", -2.7540, 52.7077},
	{"Stockport", "Greater Manchester", "SK", -2.1575, 53.4106},
}

var streetNames = []string{
	"Church", "Station", "Victoria", "Park", "Mill", "High", "Queens", "Kings", "Manor",
	"Green", "Chapel", "Springfield", "Windsor", "Albert", "Grange", "Orchard", "Beech",
	"Oak", "Willow", "Meadow", "Elm", "York", "Highfield", "Cedar", "Rectory", "Priory",
}

var streetKinds = []string{
	"Road", "Street", "Lane", "Close", "Avenue", "Drive", "Gardens", "Crescent", "Way",
	"Grove", "Terrace",
}

var houseNames = []string{
	"Rose Cottage", "The Old Vicarage", "Ivy House", "Orchard View", "Hillside",
	"The Laurels", "Meadowbank", "Fern Lodge",
}

// postcodeLetters are the letters used at the end of a UK postcode.
const postcodeLetters = "ABDEFGHJLNPQRSTUWXYZ"

var noteSentences = []string{
	"Needs support with washing and dressing in the morning.",
	"Enjoys gardening and sitting in the conservatory.",
	"Prefers a shower to a bath.",
	"Daughter visits every Sunday afternoon.",
	"Son lives abroad and phones on Wednesdays.",
	"Type 2 diabetes, controlled by diet.",
	"Hard of hearing in the left ear; speak clearly and face them.",
	"Wears glasses for reading.",
	"Likes a cup of tea with two sugars first thing.",
	"At risk of falls; a sensor mat is in place at night.",
	"Takes medication with food.",
	"Enjoys music from the 1950s and the singing group.",
	"A retired teacher who likes crosswords and quizzes.",
	"Vegetarian.",
	"Needs a soft diet following a speech and language assessment.",
	"Can become anxious in the late afternoon; reassurance helps.",
	"Uses a hearing aid; check the battery weekly.",
	"A priest visits once a month.",
	"Follows the football and the cricket closely.",
	"Needs two carers for transfers.",
	"Sleeps poorly; night checks every two hours.",
	"Likes to walk in the garden when the weather is fine.",
}

var reasonsForLeaving = []string{
	"Passed away", "Moved to another care home", "Returned home with a care package",
	"Moved closer to family", "Admitted to hospital long term", "Funding ended",
	"Moved to nursing care",
}

var leavingNotes = []string{
	"Family collected belongings.", "Deposit refunded.",
	"Final invoice sent to the family.", "Room cleared and deep cleaned.",
}

var dayCareReasonsForLeaving = []string{
	"No longer needs day care", "Moved into residential care", "Transport no longer available",
}

var religionsOther = []string{"Quaker", "Spiritualist", "Humanist", "Pagan", "Baha'i"}

var gendersOther = []string{"Genderqueer", "Agender"}

var emailDomains = []string{"example.com", "example.org", "example.net"}

// weighted is a value chosen in proportion to its weight; nil stands for
// null. Values are held as interfaces so that choosing one allocates
// nothing: seeding 100,000 records makes millions of choices.
type weighted struct {
	value  any
	weight int
}

var (
	statusWeights  = []weighted{{"active", 65}, {"pending", 10}, {"inactive", 25}}
	serviceWeights = []weighted{
		{"residential_home", 35}, {"nursing_home", 30}, {"home_care", 12},
		{"live_in_care", 6}, {"assisted_living", 6}, {"specialist_care", 4},
		{"learning_disability_care", 3}, {"independent_living", 2}, {"bariatric_care", 2},
	}
	fundingTypeWeights = []weighted{
		{"private", 35}, {"local_authority", 25}, {"local_authority_top_up", 12}, {"chc", 10},
		{"chc_lifestyle", 2}, {"block_bed", 4}, {"dta_spot", 3}, {"not_sure", 4}, {nil, 5},
	}
	religionWeights = []weighted{
		{"christian", 50}, {"no_religion", 25}, {"muslim", 5}, {"jewish", 3}, {"hindu", 3},
		{"sikh", 2}, {"buddhist", 2}, {nil, 10},
	}
	fncStatusWeights = []weighted{
		{"not_applicable", 15}, {"applied_for", 15}, {"granted", 50}, {"declined", 5}, {nil, 15},
	}
	dayCareUseWeights    = []weighted{{"not_used", 85}, {"inclusive", 10}, {"exclusive", 5}}
	billingCommsWeights  = []weighted{{"email", 45}, {"post", 25}, {"do_not_send", 5}, {nil, 25}}
	paymentMethodWeights = []weighted{
		{"direct_debit", 30}, {"standing_order", 20}, {"bac", 15}, {"card", 10},
		{"cheque", 8}, {"cash", 2}, {nil, 15},
	}
	femaleTitleWeights = []weighted{{"Mrs", 55}, {"Miss", 20}, {"Ms", 15}, {"Dr", 3}, {nil, 7}}
	maleTitleWeights   = []weighted{{"Mr", 88}, {"Dr", 4}, {"Rev", 2}, {nil, 6}}
	otherTitleWeights  = []weighted{{"Mx", 60}, {nil, 40}}
)

// box returns the strings of list as interfaces, made once, so that
// storing one in a record allocates nothing.
func box(list []string) []any {
	out := make([]any, len(list))
	for i, s := range list {
		out[i] = s
	}

	return out
}

var (
	boxedFemaleFirstNames      = box(femaleFirstNames)
	boxedMaleFirstNames        = box(maleFirstNames)
	boxedNeutralFirstNames     = box(neutralFirstNames)
	boxedLastNames             = box(lastNames)
	boxedReasons               = box(reasonsForLeaving)
	boxedLeavingNotes          = box(leavingNotes)
	boxedDayCareReasons        = box(dayCareReasonsForLeaving)
	boxedReligionsOther        = box(religionsOther)
	boxedGendersOther          = box(gendersOther)
	boxedEmpty             any = ""
)

// Lists shared by many seeded records. Records are never changed, and
// ServiceUsers hands out copies, so sharing is safe.
var (
	genderLists = map[string]any{
		"female": []string{"female"}, "male": []string{"male"},
		"non_binary": []string{"non_binary"},
	}
	religionLists = func() map[any]any {
		m := make(map[any]any, len(religionChoices))
		for _, r := range religionChoices {
			m[r] = []string{r}
		}
		return m
	}()
	invoiceIDFieldLists = []any{
		[]string{"full_name", "ref"}, []string{"account_code"},
		[]string{"full_name", "nhs_number"}, []string{"initials", "patient_id"},
	}
	minLedgerBalances = []any{-5000, 0, 5000, 10000, 25000}
)
