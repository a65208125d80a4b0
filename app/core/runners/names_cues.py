"""Word lists for the model-free name recogniser: titles, organisation heads, place cues and the
classes of capitalised words that are never names. Everything is case-folded."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(p.split()) for p in text.split("|") if p.strip())


#: Titles and roles before a person's name; kept out of the span. Multi-word ones first.
PERSON_TITLES = _phrases(
    """
    presiden|wakil presiden|wapres|menteri|menko|wakil menteri|wamen|perdana menteri|
    wakil perdana menteri|wali kota|walikota|wakil wali kota|gubernur|wakil gubernur|wagub|
    bupati|wakil bupati|camat|lurah|kepala desa|kades|kapolri|wakapolri|kapolda|wakapolda|
    kapolres|kapolresta|kapolrestabes|kapolsek|kasat|kasatreskrim|kabid humas|kabag|kasubag|
    panglima|pangdam|danrem|dandim|kasad|kasal|kasau|jenderal|letjen|mayjen|brigjen|kolonel|
    kombes|akbp|kompol|akp|iptu|ipda|aiptu|bripka|briptu|bripda|kapten|letnan|mayor|sersan|
    komjen|irjen|jenderal polisi|pol|jendral|laksamana|marsekal|laksma|marsda|kabareskrim|
    kabaharkam|
    wakapolres|kasatlantas|kapolsekta|kajati|kajari|kapuspen|mensos|mendagri|menlu|menkeu|
    menkes|mendikbud|menpora|menhan|menag|menkumham|mentan|menperin|mendag|menpan|mantan|
    jurubicara|jurnalis|wartawan|tersangka|terdakwa|korban|saksi|politisi|politikus|
    direktur eksekutif|sekretaris eksekutif|
    staf|staf khusus|deputi|asisten|kepala bidang|kabid|kasubdit|kanit|wakil|wasekjen|
    ketua harian|wakil ketua umum|pimpinan|pemimpin|bendahara|bendahara umum|presdir|
    presiden direktur|wakil direktur|manajer|kapuskes|kadis|kepala dinas|kepala badan|
    duta besar|dubes|konsul|konsul jenderal|pelaksana harian|plh|plt|pj|
    sekretaris|sekretaris jenderal|sekjen|secretary-general|sekretaris-jenderal|sekda|ketua|
    ketua umum|ketum|wakil ketua|waketum|
    direktur|direktur utama|dirut|direktur jenderal|dirjen|kepala|kabag|komisaris|
    jaksa|jaksa agung|hakim|ketua mahkamah|juru bicara|jubir|kuasa hukum|pengacara|
    anggota|pengamat|pakar|peneliti|dosen|ekonom|analis|aktivis|pengusaha|artis|penyanyi|
    aktor|aktris|atlet|penulis|sutradara|seniman|budayawan|sejarawan|chancellor|rektor|dekan|
    guru besar|profesor|prof|dr|drs|dra|
    ir|hj|h|kh|ustaz|ustadz|habib|gus|kiai|kyai|romo|pendeta|pastor|uskup|paus|syekh|
    pak|bu|bapak|ibu|mas|mbak|bang|kak|om|tante|saudara|sdr|tuan|nyonya|nona|
    raja|ratu|sultan|pangeran|putri|permaisuri|
    datuk|datuk seri|dato|dato'|dato seri|datin|tan sri|puan sri|tun|toh puan|yb|yab|
    tunku|tengku|encik|cik|pengerusi|timbalan|timbalan perdana menteri|menteri besar|
    ketua menteri|ketua pengarah|pengarah|naib canselor|ketua polis|ahli parlimen|exco|
    mr|mrs|ms|miss|sir|dame|lord|lady|president|vice president|prime minister|minister|
    secretary|chairman|chairwoman|chair|director|governor|senator|mayor|general|colonel|
    captain|judge|justice|chief|ceo|coach|pelatih|striker|kiper|gelandang|bek|penyerang
    """
)

#: Organisation heads: a capitalised run that starts with one is an organisation.
ORG_HEADS = _words(
    """
    fakultas jurusan prodi biro direktorat cabang pusat komisi kementerian kemenkes kemendagri
    kemenlu kemenkeu kementrian departemen dewan badan
    partai polres polresta polrestabes polda polri polsek kodam kodim korem rsud rs rsup
    rumah pt cv tbk universitas univ institut sekolah sma smp sd smk madrasah pesantren
    pondok yayasan bank pengadilan mahkamah majelis lembaga komite komnas kejaksaan kejati
    kejari kpu bawaslu dinas pemprov pemkab pemkot pemda dprd fraksi satuan satgas
    asosiasi persatuan perhimpunan ikatan himpunan gerakan front aliansi koalisi serikat
    federasi liga klub persib persija kantor markas mabes direktorat inspektorat sekretariat
    perusahaan perum perumda koperasi otoritas ombudsman kepolisian tentara angkatan
    kesatuan jabatan jawatan suruhanjaya kerajaan pertubuhan parti kementerian
    majlis jawatankuasa agensi
    ministry council party university college institute bank court agency commission
    committee department board association federation union league club company corporation
    foundation authority office bureau organisation organization school hospital police
    organisasi perserikatan uni pemerintah kabinet secretariat
    """
)

#: Organisation heads that name one institution on their own ("Polri", "Kejaksaan", "Bawaslu");
#: the other heads alone are ordinary nouns ("Koalisi ini ...", "Fakultas").
ORG_ALONE = _words(
    """
    polri polda polres polresta polrestabes polsek kodam kodim korem kpu bawaslu komnas
    kejaksaan kejati kejari kepolisian ombudsman persib persija mabes pemprov pemkab pemkot
    pemda dprd rsud rsup kemenkes kemendagri kemenlu kemenkeu inspektorat
    """
)

#: Lower-case words right before a name that make it a person ("tersangka Gayus", "kata
#: pengamat Hanung", "istri Bambang"); words for leaders and members are left out, since
#: groups have them too ("pemimpin Hamas", "anggota Taliban").
PERSON_BEFORE = _words(
    """
    tersangka terdakwa terpidana korban saksi pengamat pakar peneliti dosen politisi politikus
    wartawan jurnalis pengacara istri suami anak putra putri ayah ibu bapak kakak adik cucu
    saudara saudari pak bu mas mbak bang almarhum almarhumah mendiang presiden wapres
    gubernur bupati walikota camat lurah menteri
    pemerintahan kabinet kubu pasangan karya teman kolega rekan sahabat keluarga saingan
    kepemimpinan
    """
)

#: Heads of a part of a larger organisation: where the parent's name follows, the parent is
#: the name ("Fraksi Partai Demokrat", "Fakultas Kehutanan UGM", "Komisi III DPR").
UNIT_HEADS = _words(
    """
    fraksi kantor fakultas jurusan prodi biro bagian divisi bidang seksi sekretariat
    direktorat komisi cabang unit satuan
    """
)
#: Heads that always start a parent's name inside a longer one ("DPP Partai Golkar").
PARENT_HEADS = _words("partai parti party")
#: A party's boards: "DPP Partai Golkar" names the party.
PARTY_BOARDS = _words("dpp dpd dpw dpc")

#: Heads of events and titles of works: kept under Other names, never a person
#: ("Festival Film Dokumenter Nusantara", "Piala Dunia").
EVENT_HEADS = _words(
    """
    festival piala kejuaraan turnamen olimpiade pekan konferensi kongres muktamar musyawarah
    munas pameran expo forum ktt sidang operasi program gerakan hari tahun perang
    festival cup championship tournament olympics conference congress summit expo war
    """
)

#: Beginnings of one-word organisations: "Kemensos", "Pemprov", "Polda".
ORG_PREFIXES = ("kemen", "pemprov", "pemkab", "pemkot", "polda", "polres", "polsek", "kodam")

#: Final words that mark an organisation ("Garuda Indonesia Group", "Manchester United").
ORG_TAILS = _words(
    """
    group grup corp corporation inc ltd llc plc tbk fc united institute foundation center
    centre airlines airways holdings bhd berhad company co media news times post tv
    electronic electronics motor motors industries systems technologies pharmaceuticals
    energy petroleum telecom communications entertainment studios records labs
    party exchange organisation organization council commission agency ministry
    association alliance federation committee secretariat
    """
)

#: Heads of places, inside the span ("Kabupaten Bogor", "Jalan Sudirman", "Pulau Seribu").
PLACE_HEADS_IN = _words(
    """
    kabupaten kab jalan jl jln pulau gunung sungai danau selat teluk tanjung desa kampung
    dusun kelurahan kecamatan bukit lembah pantai laut samudra samudera tol bandara
    bandar pelabuhan stasiun terminal lapangan stadion gedung masjid gereja pura candi
    taman pasar alun-alun simpang lorong kompleks perumahan kali tugu
    mount lake river island street road avenue
    """
)
#: Final words that make a place in English ("South China Sea", "Persian Gulf").
PLACE_TAILS = _words("sea ocean gulf bay strait peninsula island islands mountains valley")

#: Heads of areas and natural places, which no role is named after ("Lurah Kelurahan Kemijen"
#: is a place; "Menteri Perumahan Rakyat" is a role).
AREA_HEADS = _words(
    "kabupaten kab kelurahan desa kampung dusun kecamatan jalan jl jln pulau gunung sungai kali"
)
#: Compass words that make a part of a known place ("Asia Tengah", "Kalimantan Utara").
DIRECTIONS = _words(
    """
    utara selatan timur barat tengah tenggara barat daya timur laut north south east west
    central northern southern eastern western
    """
)

#: Heads of places outside the span ("Provinsi Jawa Barat" -> "Jawa Barat").
PLACE_HEADS_OUT = _words("provinsi propinsi negeri negara wilayah kawasan daerah kota state")

#: Words right before a name that make it a place (di/ke/dari ...).
PLACE_PREPOSITIONS = _words(
    """
    di ke dari menuju asal sekitar kawasan wilayah daerah kota provinsi negara negeri
    in at from to near across throughout
    """
)

#: Speech verbs and phrases whose subject (right after) is a person: "kata Eva", "said Ali".
SPEECH_CUES = _words(
    """
    kata ujar ucap tutur ungkap jelas terang tegas imbuh tambah sebut papar beber katanya
    menurut seru sambung lanjut pinta harap tanya kepada oleh bersama dengan tandas tukas
    kilah sergah
    said says told according asked added
    """
)

#: Verbs right after a name whose subject is a person: "Jokowi mengatakan", "Ali said".
SPEECH_AFTER = _words(
    """
    mengatakan menyatakan menegaskan menjelaskan menuturkan mengungkapkan menambahkan
    menyebutkan menyebut menilai berharap memutuskan meminta mengaku mengklaim membantah
    berkata menurutnya bertanya said says told added asked
    """
)

MONTHS = _words(
    """
    januari februari maret april mei juni juli agustus september oktober november desember
    jan feb mar apr jun jul agu agt ags sep sept okt nov des dec
    january february march may june july august october december
    """
)
WEEKDAYS = _words(
    """
    senin selasa rabu kamis jumat jum'at sabtu minggu ahad isnin khamis
    monday tuesday wednesday thursday friday saturday sunday
    mon tue tues wed thu thur thurs fri sat sun
    """
)
#: Picture credits ("FOTO: ...", "Dok. Istimewa"): never names.
CREDITS = _words(
    """
    foto photo gambar dok dokumentasi istimewa ist getty images shutterstock ilustrasi illustration
    kredit credit
    """
)
#: News agencies: organisations in a sentence ("kata dia kepada Antara"), but bylines in a
#: caption ("FOTO: REUTERS/Ali", "(ANTARA/Akbar)") are no names.
AGENCIES = _words("reuters afp ap epa xinhua antara antaranews bernama kyodo yonhap tass anadolu")
#: Legal forms that follow a company's name ("PT Pertamina (Persero)", "Tbk").
LEGAL_FORMS = _words("persero tbk bhd berhad sdn ltd inc plc")

#: Currency words that start an amount ("Rp9", "Rp 31 juta", "US$").
CURRENCIES = _words("rp idr rm usd us$ sgd myr eur")

#: Function words that are capitalised only because a sentence or a heading starts with them.
STOP_WORDS = _words(
    """
    ia dia mereka kami kita saya aku anda engkau kamu beliau itu ini tersebut para sang si
    dan atau tetapi namun tapi serta lalu kemudian sementara selama setelah sebelum sesudah
    ketika saat sejak hingga sampai karena sebab jika kalau bila apabila meski meskipun
    walaupun agar supaya bahwa yang di ke dari pada dalam untuk bagi dengan oleh tentang
    terhadap antara sebagai seperti akan telah sudah belum masih juga pun hanya bahkan tidak
    bukan ada adalah ialah merupakan menurut berdasarkan selain sedangkan
    the a an this that these those it its he she they we i you his her their our my your
    and or but so yet nor for of in on at to from by with about as into over after before
    """
)

#: "dan"/"and": inside an organisation's name ("Kementerian Hukum dan HAM").
ORG_AND = _words("dan and serta &")

#: Lower-case words that may sit inside a name ("Ibn al Haytham", "Bank of England").
CONNECTORS = _words("bin binti van von der den de la le al el da dos of")

#: Abbreviations of common nouns, written in capitals but naming no one ("BBM" is fuel, "HAM"
#: human rights, "KTP" an identity card).
COMMON_ACRONYMS = _words(
    """
    bbm ham ktp sim atm pdb apbn apbd klb sk nik pns asn tki tkw wni wna lsm umkm ukm phk
    cpns kkn sda sdm ppn pph npwp dpt hp tv bap ott sp3 dll dsb pt. cctv gdp ceo pc sms
    pilkada pilpres pileg pemilu capres cawapres cagub cawagub caleg migas narkoba
    tkp ruu uu perppu perpres permen perda pp kuhp kuhap sop rapbn wib wita wit utc gmt
    """
)

#: Abbreviations of kinds of places: a petrol station, a polling station, a prison.
PLACE_ACRONYMS = _words("spbu spbe tps tpu tpa lapas rutan")

#: Political parties of Indonesia and Malaysia, often written without "Partai"/"Parti".
PARTIES = _words(
    """
    golkar gerindra pdip pdi-p pdi nasdem pkb pks pan ppp hanura perindo psi demokrat pbb
    umno dap pkr mca mic
    """
)
