namespace TikTokAds.Node.Gateway;

/// <summary>
/// /sdk/ttclid.js: the first-party script organizers put on their sites. It keeps TikTok's click id
/// from the landing URL in a 30-day first-party cookie and exposes it and _ttp, so the platform's back
/// end can send both with conversions.
/// </summary>
internal static class SdkScript
{
    public const string Path = "/sdk/ttclid.js";

    public const string Source = """
        /* TikTokAds.Orleans first-party click id helper. No network calls, no third-party cookies. */
        (function (w, d) {
          'use strict';
          var COOKIE = 'ttclid', DAYS = 30;
          function read(name) {
            var m = d.cookie.match(new RegExp('(?:^|; )' + name.replace(/[.$?*|{}()[\]\\\/+^]/g, '\\$&') + '=([^;]*)'));
            return m ? decodeURIComponent(m[1]) : null;
          }
          function write(name, value, days) {
            var expires = new Date(Date.now() + days * 864e5).toUTCString();
            var secure = w.location.protocol === 'https:' ? '; Secure' : '';
            d.cookie = name + '=' + encodeURIComponent(value) + '; Expires=' + expires + '; Path=/; SameSite=Lax' + secure;
          }
          var fromUrl = null;
          try { fromUrl = new URL(w.location.href).searchParams.get('ttclid'); } catch (e) { /* very old browser */ }
          if (fromUrl && fromUrl.length <= 512) { write(COOKIE, fromUrl, DAYS); }
          w.TikTokAdsAttribution = {
            ttclid: function () { return read(COOKIE); },
            ttp: function () { return read('_ttp'); },
            /* The context object POST /api/integrations/tiktok-ads/events expects. */
            context: function () {
              return { page_url: w.location.href, referrer: d.referrer || null, user_agent: w.navigator.userAgent, ttclid: read(COOKIE), ttp: read('_ttp') };
            }
          };
        })(window, document);
        """;
}
