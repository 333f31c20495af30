"""Fixed Arabic texts the bot sends, in one place so wording stays consistent.

Every value here is already valid Telegram HTML (only literal tags, no user data);
anything interpolated into them goes through ``html.escape`` in ``bot.render``.
"""

from __future__ import annotations

from bot.numbers import Noun
from retrieval import (
    ArticleFileError,
    BadStatusError,
    BadURLError,
    BlockedAddressError,
    DecodeError,
    ExtractionError,
    FeedError,
    FetchError,
    FetchTimeoutError,
    ItemError,
    NoArticleError,
    NotArabicError,
    TooLargeError,
    TooManyRedirectsError,
    UnreachableError,
    UnsupportedContentError,
    UnsupportedFileError,
)

# Command menu registered with set_my_commands: (command, description shown by the client).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "بدء المحادثة وتعريف بالبوت"),
    ("ask", "اطرح سؤالًا عن الأخبار: ‎/ask سؤالك"),
    ("latest", "آخر الأخبار"),
    ("follow", "تابِع سؤالًا لتصلك أخباره الجديدة: ‎/follow سؤالك"),
    ("following", "الأسئلة التي تتابعها"),
    ("sources", "المقالات التي أعرفها"),
    ("help", "طريقة الاستخدام"),
)

EXAMPLE_QUESTION = "متى وصل بوتين إلى كازاخستان؟"

WELCOME = (
    "<b>أهلًا بك!</b> أنا بوت يجيب عن أسئلتك من الأخبار التي لديّ، "
    "وأقتبس الجمل كما وردت في المقالات مع ذكر مصدرها.\n"
    "لديّ الآن {article_count}؛ أرسل /sources لتراها.\n"
    "جرّب أن تسأل مثلًا:\n"
    "<code>{example}</code>"
)

HELP = (
    "<b>طريقة الاستخدام</b>\n"
    "• في المحادثة الخاصة: اكتب سؤالك بالعربية مباشرة.\n"
    "• في المجموعات: ‎/ask ثم سؤالك، أو ردّ على إحدى رسائلي.\n"
    "• في أي محادثة: اكتب اسمي ‎@{username} ثم سؤالك لاختيار اقتباس.\n"
    "• زرّا «المزيد» و«السابق» يتنقلان بين النتائج، وزر «السياق» يعرض الجمل المحيطة بالاقتباس.\n"
    "• تابع سؤالك بسؤال قصير مثل «وماذا عن…؟»، وإن عدّلت سؤالك عدّلتُ جوابي.\n"
    "• يمكنك أيضًا كتابة سؤالك تعليقًا على صورة أو ملف.\n"
    "• ‎/sources يعرض المقالات التي أعرفها."
)

ANSWER_HEADER = "<b>هذا ما وجدته في الأخبار:</b>"
MORE_HEADER = "<b>نتائج إضافية:</b>"
NO_ANSWER = (
    "لم أجد في الأخبار التي لديّ ما يجيب عن هذا السؤال.\n"
    "جرّب صياغة أخرى، أو أرسل /sources لترى المقالات المتاحة."
)
# A question about a place no article mentions; {places} is «اليابان» or «اليابان» و«كندا».
NO_ANSWER_PLACE = (
    "لا تذكر الأخبار التي لديّ {places}، فليس فيها ما يجيب عن هذا السؤال.\n"
    "أرسل /sources لترى المقالات المتاحة."
)
# Under the no-answer text when new articles can arrive, above the «تابِع» button (BUTTON_FOLLOW).
NO_ANSWER_FOLLOW = "اضغط «تابِع» لتصلك الأخبار الجديدة التي تجيب عنه حين تصل."
NO_MORE = "لا توجد نتائج أخرى."
# A question restricted to a period by its time words («أمس»، «في نوفمبر ٢٠٢٤»); {period} is
# ``bot.dates.range_phrase``: «يوم الأربعاء ٢٧ نوفمبر ٢٠٢٤» or «من ٢٣ نوفمبر ٢٠٢٤ إلى ٢٨ نوفمبر ٢٠٢٤».
PERIOD_DAY = "<i>من أخبار {period}</i>"
PERIOD_RANGE = "<i>من الأخبار المنشورة {period}</i>"
NO_ANSWER_IN_PERIOD = (
    "لم يُنشر في الأخبار التي لديّ {period} ما يجيب عن هذا السؤال.\n"
    "جرّب أن تسأل دون تحديد الوقت، أو أرسل /latest لترى آخر الأخبار."
)
# {count} is ``numbers.count(n, OUTLETS)``: «الخبر نفسه في ٣ مصادر»، «… في ١١ مصدرًا».
ALSO_REPORTED = "الخبر نفسه في {count}:"
ALSO_REPORTED_ONE = "ونقل الخبر نفسه أيضًا:"
UNKNOWN_SOURCE = "مصدر غير مسمّى"
CONTEXT_HEADER = "<b>سياق الاقتباس</b>"
SOURCES_HEADER = "<b>المقالات التي أعرفها ({count}):</b>"
# {more} is ``numbers.count(n, MORE_ARTICLES)``.
SOURCES_MORE = "… {more}."
NO_SOURCES = "لا توجد مقالات بعد."

ASK_USAGE = "اكتب سؤالك بعد الأمر، مثلًا:\n<code>/ask {example}</code>"
NOT_TEXT = "أستطيع قراءة الأسئلة المكتوبة فقط. اكتب سؤالك بالعربية من فضلك."
NOT_ARABIC = "من فضلك اكتب سؤالك باللغة العربية؛ فالأخبار التي لديّ عربية."
UNKNOWN_COMMAND = "لا أعرف هذا الأمر. أرسل /help لمعرفة الأوامر المتاحة."
ERROR = "عذرًا، حدث خطأ أثناء معالجة طلبك. حاول مرة أخرى بعد قليل."
EXPIRED_BUTTON = "انتهت صلاحية هذا الزر؛ اسأل من جديد من فضلك."

BUTTON_MORE = "المزيد"
BUTTON_CONTEXT = "السياق {number}"
INLINE_NO_RESULTS = "لا نتائج؛ جرّب صياغة أخرى"

# Admin commands (/add, /refresh, /remove): not in the public menu; listed in /help for admins only.
ADMIN_HELP = (
    "\n\n<b>للمشرفين</b>\n"
    "• ‎/add رابط… يضيف مقالات من روابط صفحات الأخبار.\n"
    "• ‎/refresh يجلب الجديد من الخلاصات المتابَعة.\n"
    "• ‎/remove معرّف أو رابط… يحذف مقالًا فلا يُقتبس منه ولا يُضاف مرة أخرى."
)
ADMIN_ONLY = "عذرًا، إضافة الأخبار وتحديثها وحذفها متاحة للمشرفين فقط."
ADD_USAGE = "اكتب رابطًا أو أكثر بعد الأمر، مثلًا:\n<code>/add https://example.com/news/1</code>"
FIXED_CORPUS = "أعمل الآن على مجموعة مقالات ثابتة (NEWSBOT_CORPUS)، فلا يمكن إضافة أخبار أو تحديثها."
# skipped: already stored (or a feed not modified since the last refresh).
INGEST_SUMMARY = "أُضيف: {added} · موجود من قبل: {skipped} · فشل: {failed}"
INGEST_ADDED_HEADER = "<b>المقالات المضافة:</b>"
INGEST_FAILED_HEADER = "<b>أسباب الفشل:</b>"
# Why an item of /add or /refresh failed, by the error's class (the nearest class in its MRO wins).
INGEST_REASONS: dict[type[ItemError], str] = {
    ItemError: "تعذّرت إضافته",
    ArticleFileError: "لا يمكن قراءته مقالًا",
    UnsupportedFileError: "نوع ملف غير مدعوم",
    DecodeError: "ترميز النص غير معروف",
    BadURLError: "ليس رابط http أو https صالحًا",
    FetchError: "تعذّر تنزيل الصفحة",
    UnreachableError: "تعذّر الوصول إلى الخادم",
    BlockedAddressError: "الرابط يشير إلى عنوان داخلي أو خاص، ولا أجلب إلا من عناوين عامة",
    FetchTimeoutError: "لم يستجب الخادم في الوقت المحدد",
    BadStatusError: "ردّ الخادم برمز الخطأ {status}",
    TooManyRedirectsError: "تحويلات كثيرة جدًا",
    UnsupportedContentError: "ليست صفحة ويب أو خلاصة",
    TooLargeError: "الصفحة أكبر من الحجم المسموح",
    ExtractionError: "لم أجد فيها مقالًا",
    NoArticleError: "لا نص مقال فيها",
    NotArabicError: "المقال ليس بالعربية",
    FeedError: "ليست خلاصة RSS أو Atom صالحة",
}
INGEST_NO_FEEDS = "لا توجد خلاصات متابَعة بعد؛ أضفها من الطرفية: <code>newsbot feeds add URL</code>"
INGEST_ERROR = "تعذّر الوصول إلى قاعدة المقالات؛ ما زلت أجيب من الأخبار السابقة."
REMOVE_USAGE = "اكتب معرّف المقال أو رابطه بعد الأمر، مثلًا:\n<code>/remove https://example.com/news/1</code>"
REMOVED_HEADER = "<b>حُذفت هذه المقالات ولن تُضاف مرة أخرى:</b>"
REMOVE_NOT_FOUND_HEADER = "<b>لا يوجد مقال مخزَّن بهذا المعرّف أو الرابط:</b>"

# What's new (/latest, «آخر الأخبار»، «أخبار اليوم»، «ما الجديد»).
LATEST_HEADER = "<b>آخر الأخبار</b> ({first}–{last} من {total})"
LATEST_IN_RANGE_HEADER = "<b>أخبار {period}</b> ({first}–{last} من {total})"
LATEST_NONE = "لا توجد أخبار بعد."
LATEST_NONE_IN_RANGE = "لا أعرف أخبارًا منشورة {period}. أرسل /latest لترى آخر ما لديّ."
BUTTON_NEWER = "الأحدث"
BUTTON_OLDER = "الأقدم"

# Alerts (/follow, /following, /unfollow).
FOLLOW_USAGE = "اكتب بعد الأمر السؤال الذي تريد متابعته، مثلًا:\n<code>/follow {example}</code>"
FOLLOW_ADDED = "سأرسل إليك كل خبر جديد يجيب عن:\n{question}\nأرسل ‎/following لترى ما تتابعه، و‎/unfollow لإيقاف إحدى المتابعات."
FOLLOW_ALREADY = "أنت تتابع هذا السؤال بالفعل."
FOLLOW_FULL = "بلغت الحد الأقصى للمتابعات ({limit}). أوقف إحداها بالأمر ‎/unfollow أولًا."
FOLLOW_FIXED = "أعمل الآن على مجموعة مقالات ثابتة لا تصلها أخبار جديدة، فلا يمكن متابعة الأسئلة."
FOLLOWING_HEADER = "<b>الأسئلة التي تتابعها:</b>"
FOLLOWING_NONE = "لا تتابع أي سؤال. اكتب ‎/follow ثم سؤالك لتصلك الأخبار الجديدة عنه."
UNFOLLOW_USAGE = "اكتب رقم المتابعة بعد الأمر، مثلًا ‎/unfollow ١، أو اختر من القائمة:"
UNFOLLOW_DONE = "أوقفت متابعة: {question}"
UNFOLLOW_MISSING = "لا توجد متابعة بهذا الرقم. أرسل ‎/following لترى القائمة."
BUTTON_UNFOLLOW = "إيقاف {number}"
# The «تابِع» button under an answer; its outcome shows as a callback notice (plain text, at most
# CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH characters).
BUTTON_FOLLOW = "تابِع"
FOLLOW_BUTTON_ADDED = "ستصلك الأخبار الجديدة التي تجيب عن هذا السؤال. أرسل ‎/following لترى ما تتابعه."
ALERT_HEADER = "🔔 <b>جديد عن سؤالك:</b> {question}"
HELP_NEWS = (
    "\n• ‎/latest أو «آخر الأخبار» أو «أخبار اليوم» يعرض أحدث الأخبار.\n"
    "• كلمات الوقت في سؤالك («أمس»، «الأسبوع الماضي»، «في نوفمبر ٢٠٢٤») تحصر البحث في أخبار تلك المدة.\n"
    "• ‎/follow ثم سؤالك: أرسل إليك كل خبر جديد يجيب عنه؛ ‎/following يعرض ما تتابعه."
)
# Counted nouns (``bot.numbers.count``): forms for one, two, few (3-10), many (11-99), other (100…).
ARTICLES = Noun("مقال واحد", "مقالان", "{n} مقالات", "{n} مقالًا", "{n} مقال")
# Read after «في» (genitive dual); ALSO_REPORTED only counts three or more.
OUTLETS = Noun("مصدر واحد", "مصدرين", "{n} مصادر", "{n} مصدرًا", "{n} مصدر")
MORE_ARTICLES = Noun("ومقال آخر", "ومقالان آخران", "و{n} مقالات أخرى", "و{n} مقالًا آخر", "و{n} مقال آخر")

# Follow-ups: how a question that leans on the previous one was read, so a wrong guess shows.
UNDERSTOOD_AS = "<i>سؤالك كما فهمته: {question}</i>"

# Small talk: a greeting or thanks gets a short reply and headlines to ask about (titles verbatim).
GREETING_REPLY = "أهلًا وسهلًا! اسألني عن الأخبار التي لديّ، وسأجيبك باقتباسات من مصادرها."
THANKS_REPLY = "العفو، يسعدني ذلك! هل لديك سؤال آخر عن الأخبار؟"
ASK_ABOUT = "اسأل مثلًا عن:"

# Paging under an answer: back to the earlier quotes, on to the next ones.
BUTTON_BACK = "السابق"
# Reliability policies (bot.handlers.guard): said once, then silence.
NOT_ALLOWED = "عذرًا، هذا البوت متاح لمستخدمين محدَّدين فقط، فلا أستطيع الإجابة عن رسائلك."
RATE_LIMITED = (
    "وصلتني منك أسئلة كثيرة في وقت قصير، فلن أجيب عن المزيد الآن. انتظر دقيقة ثم أعد إرسال سؤالك من فضلك."
)
# A button press over the limit: a callback notice (plain text, like FOLLOW_BUTTON_ADDED).
RATE_LIMITED_PRESS = "طلبات كثيرة في وقت قصير؛ انتظر قليلًا ثم اضغط الزر من جديد."
