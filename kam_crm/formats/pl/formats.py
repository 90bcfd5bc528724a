# Polish: "1 grudnia 2026" (E: the month in the genitive), "1 234 567,89". Anything not set
# here comes from Django's own Polish formats (decimal comma, space between thousands).
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1  # Monday
