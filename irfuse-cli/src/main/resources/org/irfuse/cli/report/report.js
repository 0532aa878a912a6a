// irfuse report: sortable tables, synchronized zoom across a pair's columns, and a lightbox. No libraries.
(function () {
  'use strict';

  // --- Sortable tables: the first click on a metric header puts the best method first. ---
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    headers.forEach(function (th, col) {
      th.addEventListener('click', function () {
        var numeric = th.dataset.type === 'number';
        var state = th.getAttribute('aria-sort');
        var ascending;
        if (state === 'ascending') {
          ascending = false;
        } else if (state === 'descending') {
          ascending = true;
        } else {
          ascending = numeric ? th.dataset.lower === 'true' : true;
        }
        headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var ca = a.cells[col];
          var cb = b.cells[col];
          if (numeric) {
            var va = parseFloat(ca.dataset.value);
            var vb = parseFloat(cb.dataset.value);
            if (isNaN(va) || isNaN(vb)) {
              return isNaN(va) - isNaN(vb); // missing values always last
            }
            return ascending ? va - vb : vb - va;
          }
          var r = ca.textContent.localeCompare(cb.textContent);
          return ascending ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // --- Synchronized zoom: click (or drag a box) on any image of a pair; every column shows that region. ---
  var CLICK_REGION = 0.2; // a click zooms a square of this fraction of the image's shorter side
  function clamp01(v) { return Math.max(0, Math.min(1, v)); }

  document.querySelectorAll('.pair').forEach(function (pair) {
    var start = null;
    var imgs = pair.querySelectorAll('.frame img');
    function point(ev, img) {
      var r = img.getBoundingClientRect();
      return { x: clamp01((ev.clientX - r.left) / r.width), y: clamp01((ev.clientY - r.top) / r.height), img: img };
    }
    imgs.forEach(function (img) {
      img.draggable = false;
      img.addEventListener('mousedown', function (ev) {
        ev.preventDefault();
        start = point(ev, img);
      });
      img.addEventListener('mousemove', function (ev) {
        if (start && start.img === img) {
          select(pair, region(start, point(ev, img), img));
        }
      });
      img.addEventListener('mouseup', function (ev) {
        if (start && start.img === img) {
          zoom(pair, region(start, point(ev, img), img));
        }
        start = null;
      });
    });
    document.addEventListener('mouseup', function () { start = null; });
    var close = pair.querySelector('.zoomclose');
    if (close) {
      close.addEventListener('click', function () { hide(pair); });
    }
  });

  // A region in fractions of the image: {x, y, w, h}.
  function region(a, b, img) {
    var W = +img.dataset.w;
    var H = +img.dataset.h;
    var dx = Math.abs(a.x - b.x);
    var dy = Math.abs(a.y - b.y);
    if (dx * W < 6 && dy * H < 6) {
      var side = CLICK_REGION * Math.min(W, H);
      var w = side / W;
      var h = side / H;
      return { x: clamp01(a.x - w / 2) + w > 1 ? 1 - w : clamp01(a.x - w / 2),
               y: clamp01(a.y - h / 2) + h > 1 ? 1 - h : clamp01(a.y - h / 2), w: w, h: h };
    }
    return { x: Math.min(a.x, b.x), y: Math.min(a.y, b.y), w: Math.max(dx, 1 / W), h: Math.max(dy, 1 / H) };
  }

  function select(pair, r) {
    pair.querySelectorAll('.frame .sel').forEach(function (sel) {
      sel.style.display = 'block';
      sel.style.left = (r.x * 100) + '%';
      sel.style.top = (r.y * 100) + '%';
      sel.style.width = (r.w * 100) + '%';
      sel.style.height = (r.h * 100) + '%';
    });
  }

  function zoom(pair, r) {
    select(pair, r);
    // The zoom is in the address (#zoom=pair@x,y,w,h) so a view can be shared or reopened.
    if (window.history && history.replaceState) {
      history.replaceState(null, '', '#zoom=' + encodeURIComponent(pair.dataset.pair) + '@' +
        [r.x, r.y, r.w, r.h].map(function (v) { return v.toFixed(4); }).join(','));
    }
    var row = pair.querySelector('.zoomrow');
    row.hidden = false;
    var boxes = row.querySelectorAll('.zoombox');
    var cells = pair.querySelectorAll('.strip .cell');
    var W = 0;
    var H = 0;
    cells.forEach(function (cell, i) {
      var img = cell.querySelector('img');
      var box = boxes[i];
      if (!img || !box) {
        return;
      }
      W = +img.dataset.w;
      H = +img.dataset.h;
      // The full-size image is drawn over the thumbnail, which still shows if the full one is unavailable.
      box.style.backgroundImage = 'url("' + img.dataset.full + '"), url("' + img.getAttribute('src') + '")';
      box.style.backgroundSize = (100 / r.w) + '% ' + (100 / r.h) + '%';
      box.style.backgroundPosition = (r.w >= 1 ? 0 : 100 * r.x / (1 - r.w)) + '% ' +
        (r.h >= 1 ? 0 : 100 * r.y / (1 - r.h)) + '%';
      box.style.aspectRatio = (r.w * W) + ' / ' + (r.h * H);
      // Past 3x magnification show real pixels rather than a blur, as one does when judging fusion detail.
      box.style.imageRendering = box.clientWidth / (r.w * W) >= 3 ? 'pixelated' : 'auto';
    });
    var info = row.querySelector('.zoomtext');
    if (info && W) {
      info.textContent = 'region x ' + Math.round(r.x * W) + '–' + Math.round((r.x + r.w) * W) + ', y ' +
        Math.round(r.y * H) + '–' + Math.round((r.y + r.h) * H) + ' of ' + W + '×' + H + ' px';
    }
  }

  // Reopen a zoom given in the address, once images are laid out so the scroll lands on the pair.
  function zoomFromAddress() {
    var wanted = /^#zoom=(.+)@([0-9.]+),([0-9.]+),([0-9.]+),([0-9.]+)$/.exec(location.hash);
    if (!wanted) {
      return;
    }
    var name = decodeURIComponent(wanted[1]);
    document.querySelectorAll('.pair').forEach(function (pair) {
      if (pair.dataset.pair === name) {
        zoom(pair, { x: +wanted[2], y: +wanted[3], w: +wanted[4], h: +wanted[5] });
        pair.scrollIntoView();
      }
    });
  }
  if (document.readyState === 'complete') {
    zoomFromAddress();
  } else {
    window.addEventListener('load', zoomFromAddress);
  }

  function hide(pair) {
    var row = pair.querySelector('.zoomrow');
    if (!row.hidden && window.history && history.replaceState) {
      history.replaceState(null, '', location.pathname + location.search);
    }
    row.hidden = true;
    pair.querySelectorAll('.frame .sel').forEach(function (sel) { sel.style.display = 'none'; });
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.key === 'Escape') {
      document.querySelectorAll('.pair').forEach(hide);
      closeLightbox();
    }
  });

  // --- Lightbox for training samples: click a thumbnail to see the full image. ---
  var box = document.getElementById('lightbox');
  function closeLightbox() {
    if (box) {
      box.classList.remove('open');
    }
  }
  if (box) {
    var big = box.querySelector('img');
    document.querySelectorAll('img.lightbox').forEach(function (img) {
      img.addEventListener('click', function () {
        big.src = img.dataset.full;
        big.alt = img.alt;
        box.classList.add('open');
      });
    });
    box.addEventListener('click', closeLightbox);
  }
})();
