"""Fixed Arabic texts the bot sends, in one place so wording stays consistent.

Every value here is already valid Telegram HTML (only literal tags, no user data);
anything interpolated into them goes through ``html.escape`` in ``bot.render``.
"""

from __future__ import annotations

# Command menu registered with set_my_commands: (command, description shown by the client).
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "بدء المحادثة وتعريف بالبوت"),
    ("ask", "اطرح سؤالًا عن الأخبار: ‎/ask سؤالك"),
    ("sources", "المقالات التي أعرفها"),
    ("help", "طريقة الاستخدام"),
)

EXAMPLE_QUESTION = "متى وصل بوتين إلى كازاخستان؟"

WELCOME = (
    "<b>أهلًا بك!</b> أنا بوت يجيب عن أسئلتك من الأخبار التي لديّ، "
    "وأقتبس الجمل كما وردت في المقالات مع ذكر مصدرها.\n"
    "لديّ الآن {article_count} من المقالات؛ أرسل /sources لتراها.\n"
    "جرّب أن تسأل مثلًا:\n"
    "<code>{example}</code>"
)

HELP = (
    "<b>طريقة الاستخدام</b>\n"
    "• في المحادثة الخاصة: اكتب سؤالك بالعربية مباشرة.\n"
    "• في المجموعات: ‎/ask ثم سؤالك، أو ردّ على إحدى رسائلي.\n"
    "• في أي محادثة: اكتب اسمي ‎@{username} ثم سؤالك لاختيار اقتباس.\n"
    "• زر «المزيد» يعرض نتائج أخرى، وزر «السياق» يعرض الجمل المحيطة بالاقتباس.\n"
    "• ‎/sources يعرض المقالات التي أعرفها."
)

ANSWER_HEADER = "<b>هذا ما وجدته في الأخبار:</b>"
MORE_HEADER = "<b>نتائج إضافية:</b>"
NO_ANSWER = (
    "لم أجد في الأخبار التي لديّ ما يجيب عن هذا السؤال.\n"
    "جرّب صياغة أخرى، أو أرسل /sources لترى المقالات المتاحة."
)
NO_MORE = "لا توجد نتائج أخرى."
ALSO_REPORTED = "نقلت الخبر نفسه {count} مصادر:"
ALSO_REPORTED_ONE = "ونقل الخبر نفسه أيضًا:"
UNKNOWN_SOURCE = "مصدر غير مسمّى"
CONTEXT_HEADER = "<b>سياق الاقتباس</b>"
SOURCES_HEADER = "<b>المقالات التي أعرفها ({count}):</b>"
SOURCES_MORE = "… و{count} مقالات أخرى."
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
INGEST_SUMMARY = "أُضيف: {added} · مكرر تُخطّي: {skipped} · فشل: {failed}"
INGEST_ADDED_HEADER = "<b>المقالات المضافة:</b>"
INGEST_FAILED_HEADER = "<b>أسباب الفشل:</b>"
INGEST_NO_FEEDS = "لا توجد خلاصات متابَعة بعد؛ أضفها من الطرفية: <code>newsbot feeds add URL</code>"
INGEST_ERROR = "تعذّر الوصول إلى قاعدة المقالات؛ ما زلت أجيب من الأخبار السابقة."
REMOVE_USAGE = "اكتب معرّف المقال أو رابطه بعد الأمر، مثلًا:\n<code>/remove https://example.com/news/1</code>"
REMOVED_HEADER = "<b>حُذفت هذه المقالات ولن تُضاف مرة أخرى:</b>"
REMOVE_NOT_FOUND_HEADER = "<b>لا يوجد مقال مخزَّن بهذا المعرّف أو الرابط:</b>"
