<?php
/**
 * Drives a throw-away WordPress through its own PHP API for Digest's test exports.
 *
 *   php populate.php install          wp_install() into the configured (empty) database
 *   php populate.php populate         users, terms, media, posts, pages, menus, meta
 *   php populate.php export OUT_DIR PART
 *                                     export_wp() -> OUT_DIR/PART.xml, PART one of site, split-1, split-2
 *                                     (one per process: export_wp() declares functions)
 *   php populate.php addresses        the addresses WordPress itself links to (path TAB what),
 *                                     for make_exports.sh to ask the running site about
 *
 * Run by make_exports.sh, which writes /etc/wordpress/config-<host>.php first.
 * Every date is fixed, so a re-run makes the same content (only the export's
 * <pubDate> header, the time of the export, changes).
 */

if (PHP_SAPI !== 'cli') {
    exit(1);
}
$mode = $argv[1] ?? '';
$host = getenv('WP_EXPORT_HOST') ?: 'wp.digest.test';

// Debian's wp-config.php picks /etc/wordpress/config-<HTTP_HOST>.php.
$_SERVER['HTTP_HOST'] = $host;
$_SERVER['SERVER_NAME'] = $host;
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['HTTPS'] = 'on';

// No mail leaves this site (wp_install announces itself by mail).
function wp_mail($to, $subject, $message, $headers = '', $attachments = array()) {
    return true;
}

if ($mode === 'install') {
    define('WP_INSTALLING', true);
    require '/usr/share/wordpress/wp-load.php';
    require_once ABSPATH . 'wp-admin/includes/upgrade.php';
    $result = wp_install('The Caspian Digest', 'admin', 'desk@' . $host, 1, '', 'not-a-secret-' . $host, '');
    update_option('timezone_string', 'Asia/Baku');
    update_option('blogdescription', 'News from Baku and the region');
    update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
    fwrite(STDERR, "installed, admin user #{$result['user_id']}\n");
    exit(0);
}

require '/usr/share/wordpress/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';
require_once ABSPATH . 'wp-admin/includes/export.php';

if ($mode === 'populate') {
    populate($host);
    exit(0);
}
if ($mode === 'addresses') {
    addresses();
    exit(0);
}
if ($mode === 'export') {
    export_part($argv[2] ?? '.', $argv[3] ?? 'site');
    exit(0);
}
fwrite(STDERR, "usage: php populate.php install|populate|addresses|export OUT_DIR site|split-1|split-2\n");
exit(2);


/** Local (Asia/Baku) date -> [post_date, post_date_gmt]. */
function dates($local) {
    return array($local, get_gmt_from_date($local));
}

function must($value, $what) {
    if (is_wp_error($value) || !$value) {
        $msg = is_wp_error($value) ? $value->get_error_message() : 'failed';
        fwrite(STDERR, "populate: $what: $msg\n");
        exit(1);
    }
    return $value;
}

/** Insert a post the way the editor would (slashed data, fixed dates). */
function post($fields) {
    $local = $fields['date'];
    unset($fields['date']);
    list($d, $g) = dates($local);
    $fields += array(
        'post_type'      => 'post',
        'post_status'    => 'publish',
        'post_date'      => $d,
        'post_date_gmt'  => $g,
        'comment_status' => 'open',
        'ping_status'    => 'open',
    );
    if (in_array($fields['post_status'], array('draft', 'pending'), true)) {
        // WordPress leaves the GMT date empty until a draft is published.
        $fields['post_date_gmt'] = '0000-00-00 00:00:00';
        $fields['edit_date'] = true;
    }
    return must(wp_insert_post(wp_slash($fields), true), 'post ' . $fields['post_title']);
}

/** Write a file into the uploads folder of a given month and make it an attachment. */
function attach($month, $name, $bytes, $mime, $parent, $fields) {
    $dir = wp_upload_dir($month);
    wp_mkdir_p($dir['path']);
    $file = $dir['path'] . '/' . $name;
    file_put_contents($file, $bytes);
    $local = $fields['date'];
    unset($fields['date']);
    list($d, $g) = dates($local);
    $fields += array(
        'post_mime_type' => $mime,
        'post_status'    => 'inherit',
        'post_date'      => $d,
        'post_date_gmt'  => $g,
        'guid'           => $dir['url'] . '/' . $name,
    );
    $id = must(wp_insert_attachment(wp_slash($fields), $file, $parent, true), "attachment $name");
    $meta = wp_generate_attachment_metadata($id, $file);
    wp_update_attachment_metadata($id, $meta);
    return $id;
}

/** A small picture drawn with GD: bands of colour, a sun, a label. */
function picture($w, $h, $seed, $label, $type, $iptc = array()) {
    $im = imagecreatetruecolor($w, $h);
    mt_srand($seed);
    $base = array(mt_rand(20, 200), mt_rand(20, 200), mt_rand(20, 200));
    for ($y = 0; $y < $h; $y++) {
        $t = $y / $h;
        $c = imagecolorallocate($im, (int) ($base[0] * (1 - $t) + 230 * $t), (int) ($base[1] * (1 - $t / 2)), (int) ($base[2] * $t + 40));
        imageline($im, 0, $y, $w, $y, $c);
    }
    $hill = imagecolorallocate($im, 40, 90 + $seed % 60, 50);
    $points = array(0, $h);
    for ($x = 0; $x <= $w; $x += (int) ($w / 8)) {
        $points[] = $x;
        $points[] = (int) ($h * 0.6 + sin($x / $w * 6 + $seed) * $h * 0.12);
    }
    $points[] = $w;
    $points[] = $h;
    imagefilledpolygon($im, $points, $hill);
    $sun = imagecolorallocate($im, 250, 220, 90);
    imagefilledellipse($im, (int) ($w * 0.75), (int) ($h * 0.25), (int) ($h / 5), (int) ($h / 5), $sun);
    $ink = imagecolorallocate($im, 255, 255, 255);
    imagestring($im, 5, 12, 10, $label, $ink);
    ob_start();
    if ($type === 'png') {
        imagepng($im, null, 9);
    } else {
        imagejpeg($im, null, 70);
    }
    $bytes = ob_get_clean();
    imagedestroy($im);
    if ($type === 'jpeg' && $iptc) {
        // Credit and caption in IPTC, as cameras and agencies write them:
        // wp_read_image_metadata() lifts them into the attachment's image_meta.
        $block = '';
        foreach ($iptc as $tag => $value) {
            $block .= chr(0x1C) . chr(2) . chr($tag) . pack('n', strlen($value)) . $value;
        }
        $tmp = tempnam(sys_get_temp_dir(), 'wpimg');
        file_put_contents($tmp, $bytes);
        $bytes = iptcembed($block, $tmp);
        unlink($tmp);
    }
    return $bytes;
}

/** The smallest honest PDF: one empty page. */
function pdf_bytes() {
    $objects = array(
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    );
    $out = "%PDF-1.4\n";
    $offsets = array();
    foreach ($objects as $i => $o) {
        $offsets[] = strlen($out);
        $out .= ($i + 1) . " 0 obj\n$o\nendobj\n";
    }
    $xref = strlen($out);
    $out .= "xref\n0 " . (count($objects) + 1) . "\n0000000000 65535 f \n";
    foreach ($offsets as $off) {
        $out .= sprintf("%010d 00000 n \n", $off);
    }
    $out .= "trailer\n<< /Size " . (count($objects) + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF\n";
    return $out;
}

function set_dates_raw($id, $local, $modified_local = null) {
    global $wpdb;
    list($d, $g) = dates($local);
    $m = $modified_local ?: $local;
    $wpdb->update($wpdb->posts, array(
        'post_date' => $d, 'post_date_gmt' => $g,
        'post_modified' => $m, 'post_modified_gmt' => get_gmt_from_date($m),
    ), array('ID' => $id));
    clean_post_cache($id);
}

function populate($host) {
    global $wpdb, $wp_rewrite;

    wp_set_current_user(1);
    kses_remove_filters();  // an administrator's posts keep their HTML (unfiltered_html)
    $wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');

    // --- people -----------------------------------------------------------------------------
    wp_update_user(array('ID' => 1, 'display_name' => 'Digest Desk', 'first_name' => 'Digest', 'last_name' => 'Desk', 'nickname' => 'Digest Desk'));
    $aysel = must(wp_insert_user(array(
        'user_login' => 'aysel', 'user_pass' => 'not-a-secret-aysel', 'user_email' => 'aysel@' . $host,
        'first_name' => 'Aysel', 'last_name' => 'Məmmədova', 'display_name' => 'Aysel Məmmədova',
        'role' => 'editor', 'description' => 'Politics editor. Covers parliament and the region.',
        'user_registered' => '2023-11-01 08:00:00',
    )), 'user aysel');
    // A login with a dot: WordPress's nicename (the author archive slug) becomes "ramin-h".
    $ramin = must(wp_insert_user(array(
        'user_login' => 'ramin.h', 'user_pass' => 'not-a-secret-ramin', 'user_email' => 'ramin@' . $host,
        'first_name' => 'Ramin', 'last_name' => 'Hüseynov', 'display_name' => 'Ramin Hüseynov',
        'role' => 'author', 'description' => 'Culture and economy reporter.',
        'user_registered' => '2023-12-01 08:00:00',
    )), 'user ramin.h');

    // --- categories and tags ----------------------------------------------------------------
    $cat = function ($name, $slug = '', $parent = 0, $description = '') {
        $args = array('parent' => $parent, 'description' => $description);
        if ($slug) {
            $args['slug'] = $slug;
        }
        $t = must(wp_insert_term($name, 'category', $args), "category $name");
        return $t['term_id'];
    };
    $politics = $cat('Politics', 'politics', 0, 'Parliament, government and elections.');
    $caucasus = $cat('Caucasus', 'caucasus', $politics, 'Armenia, Georgia and the wider region.');
    $economy = $cat('Economy', 'economy');
    $culture = $cat('Culture', 'culture');
    $regions = $cat('Bölgələr');  // WordPress percent-encodes the "ə" in this slug
    $sport = $cat('Sport', 'sport');
    $tag = function ($name) {
        $t = must(wp_insert_term($name, 'post_tag'), "tag $name");
        return (int) $t['term_id'];
    };
    $t_shusha = $tag('Şuşa');
    $t_ganja = $tag('Gəncə');
    $t_erdogan = $tag('Erdoğan');
    $t_baku = $tag('Baku');
    $t_energy = $tag('Energy');
    $t_election = $tag('Election 2024');

    // --- posts, media --------------------------------------------------------------------------
    // 1. "Hello world!" from the installer stays, with its comment, on a fixed date.
    $hello = 1;
    set_dates_raw($hello, '2024-01-02 10:00:00');
    $wpdb->update($wpdb->comments, array('comment_date' => '2024-01-02 10:05:00', 'comment_date_gmt' => get_gmt_from_date('2024-01-02 10:05:00')), array('comment_post_ID' => $hello));

    // 2. Classic editor: double line breaks, no <p>; [caption] around an image whose src is a size variant.
    $p_parliament = post(array(
        'post_title' => 'Parliament opens its spring session',
        'post_name' => 'parliament-opens-spring-session',
        'post_author' => $aysel,
        'date' => '2024-01-15 09:30:00',
        'post_excerpt' => 'Deputies return to Baku with the budget and the election law on the agenda.',
        'post_content' => 'placeholder',
        'post_category' => array($politics),
        'tags_input' => array($t_baku, $t_election),
    ));
    $img_shusha = attach('2024/01', 'shusha-panorama.jpg',
        picture(1200, 800, 7, 'Shusha, Jidir plain', 'jpeg', array(110 => 'Aysel Məmmədova / Digest', 120 => 'The view from Jidir plain')),
        'image/jpeg', $p_parliament, array(
            'post_title' => 'Shusha panorama',
            'post_excerpt' => 'The view from Jidir plain, Shusha.',
            'post_content' => 'Long description of the panorama.',
            'date' => '2024-01-15 09:00:00',
            'post_author' => $aysel,
        ));
    update_post_meta($img_shusha, '_wp_attachment_image_alt', 'Green hills under a yellow sun above Shusha');
    $shusha_url = wp_get_attachment_url($img_shusha);
    $shusha_medium = wp_get_attachment_image_src($img_shusha, 'medium')[0];  // ...-300x200.jpg
    $body = "The spring session of the Milli Majlis opened on Monday with a full chamber.\n\n"
        . "Deputies will debate the budget first.\nThe election law follows in March.\n\n"
        . '[caption id="attachment_' . $img_shusha . '" align="alignright" width="300"]'
        . '<img class="size-medium wp-image-' . $img_shusha . '" src="' . $shusha_medium . '" alt="Green hills under a yellow sun above Shusha" width="300" height="200" /> The view from Jidir plain, Shusha.[/caption]'
        . "\n\n"
        . "The speaker said the session would end in June.\n\n"
        . '<a href="' . $shusha_url . '"><img class="alignnone size-medium wp-image-' . $img_shusha . '" src="' . $shusha_medium . '" alt="" width="300" height="200" /></a>'
        . "\n\nMore on the budget later this week.";
    wp_update_post(wp_slash(array('ID' => $p_parliament, 'post_content' => $body)));
    set_post_thumbnail($p_parliament, $img_shusha);
    update_post_meta($p_parliament, '_yoast_wpseo_title', 'Parliament opens spring session %%sep%% %%sitename%%');
    update_post_meta($p_parliament, '_yoast_wpseo_metadesc', 'Deputies return with the budget and the election law.');
    update_post_meta($p_parliament, '_yoast_wpseo_canonical', 'https://' . $host . '/2024/01/15/parliament-opens-spring-session/');
    update_post_meta($p_parliament, '_yoast_wpseo_focuskw', 'parliament');
    stick_post($p_parliament);
    wp_insert_comment(array(
        'comment_post_ID' => $p_parliament, 'comment_author' => 'Elvin', 'comment_author_email' => 'elvin@example.org',
        'comment_content' => 'Finally some news about the budget.', 'comment_date' => '2024-01-15 12:00:00',
        'comment_date_gmt' => get_gmt_from_date('2024-01-15 12:00:00'), 'comment_approved' => 1,
    ));
    wp_insert_comment(array(
        'comment_post_ID' => $p_parliament, 'comment_author' => 'spam bot', 'comment_author_email' => 'bot@example.org',
        'comment_content' => 'Buy now', 'comment_date' => '2024-01-15 13:00:00',
        'comment_date_gmt' => get_gmt_from_date('2024-01-15 13:00:00'), 'comment_approved' => 'spam',
    ));

    // 3. Block editor: paragraphs, heading, image block, list, quote, YouTube embed block.
    $p_festival = post(array(
        'post_title' => 'Shusha hosts the Kharibulbul festival',
        'post_name' => 'shusha-kharibulbul-festival',
        'post_author' => $ramin,
        'date' => '2024-02-03 18:15:00',
        'post_content' => 'placeholder',
        'post_category' => array($culture),
        'tags_input' => array($t_shusha),
    ));
    $img_flower = attach('2024/02', 'kharibulbul.png', picture(400, 300, 11, 'Kharibulbul', 'png'),
        'image/png', $p_festival, array(
            'post_title' => 'kharibulbul',
            'post_excerpt' => 'The festival takes its name from the flower.',
            'date' => '2024-02-03 18:00:00',
            'post_author' => $ramin,
        ));
    update_post_meta($img_flower, '_wp_attachment_image_alt', 'A drawing of the kharibulbul flower');
    $flower_url = wp_get_attachment_url($img_flower);
    $body = "<!-- wp:paragraph -->\n<p>The <strong>Kharibulbul</strong> music festival returned to Shusha this weekend.</p>\n<!-- /wp:paragraph -->\n\n"
        . "<!-- wp:heading -->\n<h2>Three days of mugham</h2>\n<!-- /wp:heading -->\n\n"
        . "<!-- wp:image {\"id\":$img_flower,\"sizeSlug\":\"full\",\"linkDestination\":\"none\"} -->\n"
        . "<figure class=\"wp-block-image size-full\"><img src=\"$flower_url\" alt=\"A drawing of the kharibulbul flower\" class=\"wp-image-$img_flower\"/><figcaption class=\"wp-element-caption\">The festival takes its name from the flower.</figcaption></figure>\n<!-- /wp:image -->\n\n"
        . "<!-- wp:list -->\n<ul><li>Friday: opening concert</li><li>Saturday: folk ensembles</li><li>Sunday: mugham</li></ul>\n<!-- /wp:list -->\n\n"
        . "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p>Music came home to Shusha.</p>\n<!-- /wp:paragraph --><cite>The festival's director</cite></blockquote>\n<!-- /wp:quote -->\n\n"
        . "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\",\"type\":\"video\",\"providerNameSlug\":\"youtube\",\"responsive\":true,\"className\":\"wp-embed-aspect-16-9 wp-has-aspect-ratio\"} -->\n"
        . "<figure class=\"wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube wp-embed-aspect-16-9 wp-has-aspect-ratio\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n</div><figcaption class=\"wp-element-caption\">The opening concert.</figcaption></figure>\n<!-- /wp:embed -->\n\n"
        . "<!-- wp:separator -->\n<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n<!-- /wp:separator -->\n\n"
        . "<!-- wp:paragraph -->\n<p>Tickets were free for residents.</p>\n<!-- /wp:paragraph -->";
    wp_update_post(wp_slash(array('ID' => $p_festival, 'post_content' => $body)));
    set_post_thumbnail($p_festival, $img_flower);
    update_post_meta($p_festival, 'rank_math_title', 'Kharibulbul festival in Shusha %sep% %sitename%');
    update_post_meta($p_festival, 'rank_math_description', 'Three days of mugham and folk music in Shusha.');
    update_post_meta($p_festival, 'rank_math_canonical_url', 'https://' . $host . '/2024/02/03/shusha-kharibulbul-festival/');
    update_post_meta($p_festival, 'rank_math_focus_keyword', 'kharibulbul');

    // 4. A [gallery] of three images; the first is also the featured image.
    $p_gallery = post(array(
        'post_title' => "Ganja's old town in pictures",
        'post_name' => 'ganja-old-town-in-pictures',
        'post_author' => $aysel,
        'date' => '2024-02-20 11:00:00',
        'post_content' => 'placeholder',
        'post_category' => array($culture, $regions),
        'tags_input' => array($t_ganja),
    ));
    $gallery = array();
    foreach (array(1 => 'Javad Khan street', 2 => 'Shah Abbas mosque', 3 => 'The Bottle House') as $i => $caption) {
        $id = attach('2024/02', "ganja-$i.jpg", picture(480, 320, 20 + $i, "Ganja $i", 'jpeg'), 'image/jpeg', $p_gallery, array(
            'post_title' => "ganja-$i",
            'post_excerpt' => $caption,
            'date' => "2024-02-20 10:0$i:00",
            'post_author' => $aysel,
        ));
        update_post_meta($id, '_wp_attachment_image_alt', "$caption in Ganja");
        $gallery[] = $id;
    }
    $body = "A walk through the old town of Gəncə, Azerbaijan's second city.\n\n"
        . '[gallery ids="' . implode(',', $gallery) . '" columns="3" size="medium"]'
        . "\n\nThe city celebrates its 2,500th anniversary next year.";
    wp_update_post(wp_slash(array('ID' => $p_gallery, 'post_content' => $body)));
    set_post_thumbnail($p_gallery, $gallery[0]);

    // 5. Classic: bare YouTube and X URLs on their own lines, an unknown shortcode,
    //    links to another post's permalink (pretty and ?p=), a closing "Source:" line.
    $parliament_link = get_permalink($p_parliament);
    $p_visit = post(array(
        'post_title' => 'Erdoğan visits Baku',
        'post_name' => 'erdogan-visits-baku',
        'post_author' => $ramin,
        'date' => '2024-03-12 14:45:00',
        'post_excerpt' => '',
        'post_content' => "The Turkish president arrived in Baku on Tuesday for a two-day visit.\n\n"
            . "He addressed <a href=\"$parliament_link\">the parliament, which opened its session in January</a>.\n\n"
            . "https://www.youtube.com/watch?v=ScMzIvxBSi4\n\n"
            . "The foreign ministry posted the welcome:\n\n"
            . "https://twitter.com/example/status/1767500000000000000\n\n"
            . "[newsletter_signup list=\"daily\" title=\"Get the morning briefing\"]\n\n"
            . "Earlier coverage: <a href=\"https://$host/?p=$p_parliament\">the spring session</a>.\n\n"
            . "Source: APA",
        'post_category' => array($politics, $caucasus),
        'tags_input' => array($t_erdogan, $t_baku),
    ));
    update_post_meta($p_visit, 'source', 'APA');
    update_post_meta($p_visit, '_yoast_wpseo_metadesc', 'Two days, one speech and a pipeline.');

    // 6. A translation: the custom field and the closing line say where it came from;
    //    a PDF attachment (not an image); edited after publication (modified date).
    $p_gas = post(array(
        'post_title' => 'Gas exports rise in the first quarter',
        'post_name' => 'gas-exports-rise-first-quarter',
        'post_author' => $aysel,
        'date' => '2024-04-02 08:00:00',
        'post_excerpt' => 'Exports to Europe grew by a tenth.',
        'post_content' => 'placeholder',
        'post_category' => array($economy),
        'tags_input' => array($t_energy),
    ));
    $pdf = attach('2024/04', 'energy-report-q1.pdf', pdf_bytes(), 'application/pdf', $p_gas, array(
        'post_title' => 'Energy report Q1',
        'date' => '2024-04-02 07:50:00',
        'post_author' => $aysel,
    ));
    $body = "<!-- wp:paragraph -->\n<p>Gas exports rose by ten percent in the first quarter, the energy ministry said.</p>\n<!-- /wp:paragraph -->\n\n"
        . "<!-- wp:file {\"id\":$pdf,\"href\":\"" . wp_get_attachment_url($pdf) . "\"} -->\n<div class=\"wp-block-file\"><a href=\"" . wp_get_attachment_url($pdf) . "\">Energy report Q1</a></div>\n<!-- /wp:file -->\n\n"
        . "<!-- wp:paragraph -->\n<p><em>Translated from Azerbaijani. Original: Report.az</em></p>\n<!-- /wp:paragraph -->";
    wp_update_post(wp_slash(array('ID' => $p_gas, 'post_content' => $body)));
    update_post_meta($p_gas, 'source', 'Translated from Report.az');
    update_post_meta($p_gas, 'source_url', 'https://report.az/en/energy/gas-exports-q1/');

    // 7. No category: WordPress files it under "Uncategorized".
    $p_notes = post(array(
        'post_title' => 'Notes from the newsroom',
        'post_name' => 'notes-from-the-newsroom',
        'post_author' => 1,
        'date' => '2024-04-10 17:00:00',
        'post_content' => "We moved to a new office.\n\nThe phone number stays the same.",
    ));

    // 8. An Azerbaijani title: WordPress keeps "ə" percent-encoded in the slug.
    $p_park = post(array(
        'post_title' => 'Gəncədə yeni park açıldı',
        'post_author' => $aysel,
        'date' => '2024-04-12 12:00:00',
        'post_content' => "Şəhərin mərkəzində yeni park açıldı.\n\nParkda 500 ağac əkilib.",
        'post_category' => array($regions),
        'tags_input' => array($t_ganja),
    ));

    // 9/10. The same title twice: WordPress makes the second slug "election-day-2".
    $p_election1 = post(array(
        'post_title' => 'Election day',
        'post_author' => $aysel,
        'date' => '2024-02-07 07:00:00',
        'post_content' => 'Polls opened at eight.',
        'post_category' => array($politics),
        'tags_input' => array($t_election),
    ));
    $p_election2 = post(array(
        'post_title' => 'Election day',
        'post_author' => $ramin,
        'date' => '2024-03-17 07:00:00',
        'post_content' => 'Polls opened at eight, again.',
        'post_category' => array($politics),
        'tags_input' => array($t_election),
    ));
    stick_post($p_election2);

    // 11. Empty body, title only.
    post(array(
        'post_title' => 'Breaking: earthquake felt in Shamakhi',
        'post_author' => $ramin,
        'date' => '2024-04-15 03:20:00',
        'post_content' => '',
        'post_category' => array($regions),
    ));

    // 12-16. Statuses: future, draft, pending, private, trash.
    post(array(
        'post_title' => 'Preview: Baku Energy Week',
        'post_name' => 'preview-baku-energy-week',
        'post_author' => $aysel,
        'post_status' => 'future',
        'date' => '2035-06-01 10:00:00',
        'post_content' => "The forum opens on Monday.\n\nOrganisers expect 4,000 guests.",
        'post_category' => array($economy),
        'tags_input' => array($t_energy, $t_baku),
    ));
    post(array(
        'post_title' => 'Draft: budget analysis',
        'post_author' => $aysel,
        'post_status' => 'draft',
        'date' => '2024-04-20 09:00:00',
        'post_content' => "Numbers to check.\n\nDo not publish yet.",
        'post_category' => array($economy),
    ));
    post(array(
        'post_title' => 'Interview with the mayor of Ganja',
        'post_author' => $ramin,
        'post_status' => 'pending',
        'date' => '2024-04-21 09:00:00',
        'post_content' => "<!-- wp:paragraph -->\n<p>Waiting for the editor.</p>\n<!-- /wp:paragraph -->",
        'post_category' => array($regions),
        'tags_input' => array($t_ganja),
    ));
    post(array(
        'post_title' => 'Staff rota',
        'post_author' => 1,
        'post_status' => 'private',
        'date' => '2024-04-22 09:00:00',
        'post_content' => 'Only for logged-in editors.',
    ));
    $p_retracted = post(array(
        'post_title' => 'Retracted: wrong figures',
        'post_name' => 'retracted-wrong-figures',
        'post_author' => $ramin,
        'date' => '2024-03-01 09:00:00',
        'post_content' => 'These figures were wrong.',
        'post_category' => array($economy),
    ));
    wp_trash_post($p_retracted);  // slug becomes "retracted-wrong-figures__trashed"
    update_post_meta($p_retracted, '_wp_trash_meta_time', strtotime('2024-03-02 09:00:00 UTC'));

    // --- pages --------------------------------------------------------------------------
    $who = post(array(
        'post_type' => 'page',
        'post_title' => 'Who we are',
        'post_name' => 'who-we-are',
        'post_author' => 1,
        'date' => '2024-01-01 09:00:00',
        'comment_status' => 'closed',
        'post_content' => "<!-- wp:paragraph -->\n<p>The Caspian Digest is an independent newsroom in Baku.</p>\n<!-- /wp:paragraph -->\n\n"
            . "<!-- wp:paragraph -->\n<p>Write to us at desk@$host.</p>\n<!-- /wp:paragraph -->",
    ));
    $contact = post(array(
        'post_type' => 'page',
        'post_title' => 'Contact',
        'post_name' => 'contact',
        'post_parent' => $who,
        'post_author' => 1,
        'date' => '2024-01-01 09:10:00',
        'comment_status' => 'closed',
        'post_content' => "Call us on +994 12 000 00 00.\n\nOr come by the office.",
        'menu_order' => 1,
    ));
    // The installer's draft "Privacy Policy" page (slug privacy-policy), published as sites do.
    $privacy = (int) get_option('wp_page_for_privacy_policy');
    wp_update_post(wp_slash(array('ID' => $privacy, 'post_status' => 'publish')));
    set_dates_raw($privacy, '2024-01-01 09:20:00');
    $sample = get_page_by_path('sample-page');
    set_dates_raw($sample->ID, '2024-01-01 09:30:00');


    // --- menus ---------------------------------------------------------------------------
    register_nav_menus(array('primary' => 'Primary menu', 'footer' => 'Footer menu'));
    $primary = must(wp_create_nav_menu('Primary menu'), 'menu');
    $item = function ($menu, $fields) {
        return must(wp_update_nav_menu_item($menu, 0, $fields + array('menu-item-status' => 'publish')), 'menu item');
    };
    $order = 1;
    $m_politics = $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $politics, 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $caucasus, 'menu-item-parent-id' => $m_politics, 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $economy, 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $culture, 'menu-item-title' => 'Arts & Culture', 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $regions, 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'taxonomy', 'menu-item-object' => 'category', 'menu-item-object-id' => $sport, 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'post_type', 'menu-item-object' => 'post', 'menu-item-object-id' => $p_retracted, 'menu-item-title' => 'Correction', 'menu-item-position' => $order++));
    $item($primary, array('menu-item-type' => 'custom', 'menu-item-title' => 'Live', 'menu-item-url' => 'https://live.example.org/', 'menu-item-position' => $order++));
    $footer = must(wp_create_nav_menu('Footer'), 'menu');
    $item($footer, array('menu-item-type' => 'post_type', 'menu-item-object' => 'page', 'menu-item-object-id' => $who, 'menu-item-position' => 1));
    $item($footer, array('menu-item-type' => 'post_type', 'menu-item-object' => 'page', 'menu-item-object-id' => $privacy, 'menu-item-position' => 2));
    set_theme_mod('nav_menu_locations', array('primary' => $primary, 'footer' => $footer));
    // "Sport" is deleted afterwards but its menu item stays: a menu item pointing at nothing.
    remove_action('delete_term', '_wp_delete_tax_menu_item', 10);
    wp_delete_term($sport, 'category');
    foreach (get_posts(array('post_type' => 'nav_menu_item', 'numberposts' => -1, 'post_status' => 'any', 'orderby' => 'ID', 'order' => 'ASC')) as $i => $menu_post) {
        set_dates_raw($menu_post->ID, sprintf('2024-01-01 10:%02d:00', $i));
    }

    // Fixed dates everywhere: the editing above stamped "now" as the modified date (and
    // into the menu items' guids). A post is "modified" when it was published, except
    // the ones edited later on purpose.
    $modified = array($p_gas => '2024-04-05 16:30:00', $p_retracted => '2024-03-02 13:00:00');
    foreach ($wpdb->get_results("SELECT ID, post_date, post_type FROM $wpdb->posts") as $row) {
        $m = $modified[$row->ID] ?? $row->post_date;
        $fix = array('post_modified' => $m, 'post_modified_gmt' => get_gmt_from_date($m));
        if ($row->post_type === 'nav_menu_item') {
            $fix['guid'] = home_url('/?p=' . $row->ID);
        }
        $wpdb->update($wpdb->posts, $fix, array('ID' => $row->ID));
        clean_post_cache($row->ID);
    }

    flush_rewrite_rules(false);
    $count = wp_count_posts();
    fwrite(STDERR, "populated: {$count->publish} published posts, " . count(get_users()) . " users\n");
}

function export_one($path, $args) {
    ob_start();
    export_wp($args);
    $xml = ob_get_clean();
    file_put_contents($path, $xml);
    fwrite(STDERR, sprintf("wrote %s (%d bytes, %d items)\n", $path, strlen($xml), substr_count($xml, '<item>')));
}

function export_part($out, $part) {
    $parts = array(
        'site'    => array('content' => 'all'),
        // How a big site is exported in parts from Tools -> Export: posts by date range.
        'split-1' => array('content' => 'post', 'end_date' => '2024-02-01'),   // up to February 2024
        'split-2' => array('content' => 'post', 'start_date' => '2024-03-01'), // from March 2024 on
    );
    if (!isset($parts[$part])) {
        fwrite(STDERR, "populate: unknown export part $part\n");
        exit(2);
    }
    wp_set_current_user(1);
    export_one("$out/$part.xml", $parts[$part]);
}

/** Every address of the old site a reader, a search engine or another site may hold, made
 *  with WordPress's own link functions: "path<TAB>what it is" lines on stdout. */
function addresses() {
    global $wpdb;
    $home = home_url();
    $lines = array();
    $add = function ($url, $what) use ($home, &$lines) {
        $path = str_starts_with($url, $home) ? substr($url, strlen($home)) : $url;
        $path = $path === '' ? '/' : $path;
        if (!isset($lines[$path])) {  // an unpublished post's permalink is its ?p= address
            $lines[$path] = $path . "\t" . $what;
        }
    };
    $ids = $wpdb->get_col("SELECT ID FROM $wpdb->posts WHERE post_type IN ('post', 'page', 'attachment') AND post_status != 'auto-draft' ORDER BY ID");
    foreach ($ids as $id) {
        $post = get_post($id);
        $what = "{$post->post_type} $id {$post->post_status}";
        $add(get_permalink($post), "$what permalink");
        if ($post->post_type === 'post') {
            $add(home_url("/?p=$id"), "$what ?p=");
            if ($post->post_status === 'publish') {
                $add(get_post_comments_feed_link($id), "$what comments feed");
            }
        } elseif ($post->post_type === 'page') {
            $add(home_url("/?page_id=$id"), "$what ?page_id=");
        } else {
            $add(home_url("/?attachment_id=$id"), "$what ?attachment_id=");
            $add(wp_get_attachment_url($id), "$what file");
            foreach ((wp_get_attachment_metadata($id)['sizes'] ?? array()) as $size => $info) {
                $add(dirname(wp_get_attachment_url($id)) . '/' . $info['file'], "$what file $size");
            }
        }
    }
    foreach (get_terms(array('taxonomy' => array('category', 'post_tag'), 'hide_empty' => false)) as $term) {
        $what = "{$term->taxonomy} {$term->slug}";
        $add(get_term_link($term), "$what archive");
        $add(get_term_feed_link($term->term_id, $term->taxonomy), "$what feed");
        $add($term->taxonomy === 'category' ? home_url("/?cat={$term->term_id}") : home_url("/?tag={$term->slug}"), "$what query");
    }
    $add(home_url('/category/sport/'), 'category sport (deleted) archive');
    foreach (get_users(array('orderby' => 'ID')) as $user) {
        $add(get_author_posts_url($user->ID), "author {$user->user_login} archive");
        $add(get_author_feed_link($user->ID), "author {$user->user_login} feed");
        $add(home_url("/?author={$user->ID}"), "author {$user->user_login} ?author=");
    }
    $add(home_url('/'), 'home');
    $add(home_url('/page/2/'), 'home page 2');
    $add(get_feed_link(), 'feed');
    $add(get_feed_link('atom'), 'feed atom');
    $add(get_feed_link('comments_rss2'), 'comments feed');
    $add(home_url('/?feed=rss2'), 'feed ?feed=');
    $add(get_year_link(2024), 'year archive');
    $add(get_month_link(2024, 1), 'month archive');
    $add(get_day_link(2024, 1, 15), 'day archive');
    $add(home_url('/?s=Baku'), 'search');
    $add(home_url('/no-such-page/'), 'missing');
    echo implode("\n", $lines) . "\n";
}
