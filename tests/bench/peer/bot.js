// The peer of the webhook benchmark (run_peer_bench.sh): a grammY bot, served by Node's `http`
// through grammY's webhook callback, that walks a citizen through the same conversation as the
// gateway's shipped flows with @grammyjs/conversations: as many questions, and as many replies to
// each message, as webhook_bench's script gets from the gateway.
//
//   node bot.js --token T --secret S (--api-root http://127.0.0.1:PORT | --sends-nothing)
//               [--listen 127.0.0.1:0]
//
// With --api-root its Bot API calls go over HTTP to that (local, mock) Bot API, as the gateway's
// replies do. With --sends-nothing an API transformer answers them in this process. Either way
// the conversations' state is in memory (grammY's default storage): lost when the process ends,
// where the gateway commits every message and reply to its store first.
//
// Prints "listening on http://HOST:PORT/" once it serves; on SIGTERM, one JSON line on stderr
// with the updates handled and the Bot API calls made.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');
const { Bot, webhookCallback } = require('grammy');
const { conversations, createConversation } = require('@grammyjs/conversations');

function parse_args(argv) {
    const o = { listen: '127.0.0.1:0', token: '', secret: '', apiRoot: '', sendsNothing: false };
    for (let i = 2; i < argv.length; ++i) {
        const k = argv[i];
        if (k === '--sends-nothing') o.sendsNothing = true;
        else if (k === '--listen') o.listen = argv[++i];
        else if (k === '--token') o.token = argv[++i];
        else if (k === '--secret') o.secret = argv[++i];
        else if (k === '--api-root') o.apiRoot = argv[++i];
        else throw new Error(`unknown option ${k}`);
    }
    if (!o.token || !o.secret) throw new Error('--token and --secret are required');
    if (!o.sendsNothing && !/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(o.apiRoot))
        throw new Error('--api-root must be a loopback http:// URL (or pass --sends-nothing)');
    return o;
}

// The words of the flow, as the gateway says them (flows/menu.json, flows/raise_concern.json),
// so that the replies weigh what the gateway's do.
const remove_keyboard = { remove_keyboard: true };
const choices = (rows) => ({
    keyboard: rows.map((text) => [{ text }]),
    one_time_keyboard: true,
    resize_keyboard: true,
});
const greeting =
    'Xin chào! Đây là kênh gửi ý kiến, kiến nghị tới buổi đối thoại trực tiếp giữa lãnh đạo tỉnh ' +
    'và người dân. Bạn muốn làm gì?';
const menu = ['Gửi phản ánh, kiến nghị', 'Tra cứu phản ánh đã gửi', 'Về buổi đối thoại',
              'Cách sử dụng', 'Xoá dữ liệu của tôi', 'Gặp cán bộ'];
const topics = ['Đường sá, cầu cống, hạ tầng', 'Đất đai', 'Nông nghiệp', 'Việc làm, thu nhập',
                'An ninh, trật tự', 'Xây dựng Đảng, hệ thống chính trị', 'Góp ý Đại hội Đảng',
                'Giáo dục, đào tạo, tuyển dụng', 'Y tế', 'Môi trường', 'Chính sách xã hội', 'Khác'];
const confirm = ['Gửi ẩn danh', 'Gửi kèm số điện thoại', 'Sửa'];
const safety_notice =
    'Nếu có người hoặc tài sản đang gặp nguy hiểm, hãy gọi ngay 112 (cứu nạn), 114 (cứu hoả) ' +
    'hoặc 113 (công an). Phản ánh của bạn vẫn được gửi tới cán bộ.';

// What the bot reads in a message, unaccented and lower case: a commune, a topic, urgency. A
// handful of words: enough for the texts the benchmark sends, not a reading of Vietnamese.
const fold = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd')
    .toLowerCase();
const communes = { 'bat xat': 'Xã Bát Xát', 'sa pa': 'Phường Sa Pa', 'bac ha': 'Xã Bắc Hà' };
const topic_words = [['duong', 0], ['cau', 0], ['dat', 1], ['lua', 2], ['viec lam', 3]];
const urgent_words = ['sat lo', 'chay', 'ngap', 'tai nan'];

function read(text) {
    const t = fold(text);
    const commune = Object.keys(communes).find((k) => t.includes(k));
    const topic = topic_words.find(([w]) => t.includes(w));
    return {
        commune: commune ? communes[commune] : undefined,
        topic: topic ? topics[topic[1]] : undefined,
        urgent: urgent_words.some((w) => t.includes(w)),
        // A message that says what and where, long enough to be the concern itself.
        whole: Boolean(commune && topic) && t.split(/\s+/).length >= 6,
    };
}

// A button's text or its number ("1" is the first).
function chosen(text, options) {
    const n = Number.parseInt(text, 10);
    if (String(n) === text.trim() && n >= 1 && n <= options.length) return options[n - 1];
    return options.find((o) => fold(o) === fold(text));
}

function summary(c) {
    return `Phản ánh của bạn:\n• Lĩnh vực: ${c.topic}\n• Xã/phường: ${c.commune}\n` +
        `• Nội dung: ${c.description}\nSẽ đưa ra buổi đối thoại tháng 3/2027 tại Hội trường ` +
        `UBND ${c.commune}. Bạn muốn gửi thế nào?`;
}

// Kept in memory only, like the conversations.
const filed = [];

// One concern: from a greeting through the menu, question by question; or from a message that
// already says it all, straight to the summary.
async function raise_concern(conversation, ctx) {
    const first = read(ctx.msg.text);
    const concern = { topic: first.topic, commune: first.commune, description: ctx.msg.text };
    let last = ctx;
    if (first.whole) {
        if (first.urgent) await ctx.reply(safety_notice, { reply_markup: remove_keyboard });
    } else {
        await ctx.reply(greeting, { reply_markup: choices(menu) });
        const choice = await conversation.waitFor('message:text');
        if (chosen(choice.msg.text, menu) !== menu[0]) {
            // The benchmark only walks the first entry; the others end here.
            await choice.reply('Mục này chưa có trong bản thử.', { reply_markup: remove_keyboard });
            return;
        }
        await choice.reply('Bạn muốn phản ánh về lĩnh vực nào?', { reply_markup: choices(topics) });
        const topic = await conversation.waitFor('message:text');
        concern.topic = chosen(topic.msg.text, topics) ?? topics[topics.length - 1];
        await topic.reply('Việc này xảy ra ở xã/phường nào?', { reply_markup: remove_keyboard });
        const where = await conversation.waitFor('message:text');
        concern.commune = read(where.msg.text).commune ?? where.msg.text;
        await where.reply(`Bạn mô tả ngắn gọn vấn đề về ${concern.topic}: chuyện gì, ở đâu, từ ` +
                          'bao giờ, ảnh hưởng thế nào. Có thể gửi kèm ảnh hoặc vị trí.',
                          { reply_markup: remove_keyboard });
        last = await conversation.waitFor('message:text');
        concern.description = last.msg.text;
    }
    await last.reply(summary(concern), { reply_markup: choices(confirm) });
    const how = await conversation.waitFor('message:text');
    // Outside the replayed part: the code is drawn once, not again at every replay.
    const code = await conversation.external(() => {
        const c = 'LC-' + crypto.randomBytes(4).toString('hex').slice(0, 5).toUpperCase();
        const anonymous = chosen(how.msg.text, confirm) === confirm[0];
        filed.push({ ...concern, code: c, anonymous });
        return c;
    });
    const urgent = read(concern.description).urgent
        ? 'Việc này cần xử lý gấp: bạn gọi ngay đường dây nóng 112. ' : '';
    await how.reply(`Đã tiếp nhận phản ánh của bạn. Mã số: ${code}. ${urgent}Phản ánh cũng được ` +
                    `đưa ra buổi đối thoại tháng 3/2027 tại Hội trường UBND ${concern.commune}.`,
                    { reply_markup: remove_keyboard });
}

const counts = { updates: 0, api_calls_answered_here: 0 };
let next_message_id = 1;

// --sends-nothing: grammY builds each request as it would send it, and this answers it as
// Telegram answers sendMessage. It is the client's `fetch` rather than an API transformer on
// bot.api because @grammyjs/conversations builds its own Api for every replay from the token and
// the client options alone, so a transformer installed on bot.api never sees the replies sent
// from inside a conversation.
function answer_here(url, init) {
    ++counts.api_calls_answered_here;
    const payload = JSON.parse(init.body);
    const result = { message_id: next_message_id++, date: Math.floor(Date.now() / 1000),
                     chat: { id: payload.chat_id, type: 'private' }, text: payload.text };
    return Promise.resolve({ json: () => Promise.resolve({ ok: true, result }) });
}

function main() {
    const o = parse_args(process.argv);
    const id = Number.parseInt(o.token, 10);
    const bot = new Bot(o.token, {
        // Known ahead, so nothing asks getMe.
        botInfo: { id, is_bot: true, first_name: 'Peer', username: 'peer_bench_bot',
                   can_join_groups: false, can_read_all_group_messages: false,
                   supports_inline_queries: false, can_connect_to_business: false,
                   has_main_web_app: false },
        client: o.sendsNothing ? { fetch: answer_here } : { apiRoot: o.apiRoot },
    });
    bot.use((ctx, next) => { ++counts.updates; return next(); });
    bot.use(conversations());
    bot.use(createConversation(raise_concern, 'raise_concern'));
    bot.on('message:text', (ctx) => ctx.conversation.enter('raise_concern'));
    bot.catch((err) => console.error('update failed:', err.error));

    const handle = webhookCallback(bot, 'http', { secretToken: o.secret });
    const server = http.createServer((req, res) => {
        if (req.method === 'POST' && req.url === '/webhooks/telegram') return handle(req, res);
        res.writeHead(404).end();
    });
    server.keepAliveTimeout = 60_000;
    const colon = o.listen.lastIndexOf(':');
    server.listen(Number(o.listen.slice(colon + 1)), o.listen.slice(0, colon), () => {
        const a = server.address();
        console.log(`listening on http://${a.address}:${a.port}/`);
    });
    process.on('SIGTERM', () => {
        console.error(JSON.stringify({ bot: 'grammy', ...counts, concerns_filed: filed.length,
                                       sends: o.sendsNothing ? 'in process' : o.apiRoot }));
        server.close();
        server.closeAllConnections();
        process.exit(0);
    });
}

main();
