// The risk-over-time chart on the child page: the child's level after each screening
// as a stepped line, and each sign recorded as a point on the day it was seen. The data
// comes from a JSON block (json_script); the same figures are in a table beside it.
(function () {
  "use strict";
  var canvas = document.getElementById("risk-chart");
  var source = document.getElementById("risk-chart-data");
  if (!canvas || !source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var levels = data.levels;
  var now = Date.now();
  var steps = data.screenings.map(function (s) {
    return { x: Date.parse(s.at), y: s.level };
  });
  var points = data.observations.map(function (o) {
    return { x: Date.parse(o.on), y: o.level, label: o.label };
  });
  // At least window_days back, and back to the earliest sign or screening.
  var earliest = steps.concat(points).reduce(function (min, p) {
    return Math.min(min, p.x);
  }, now - data.window_days * 86400000);
  steps.unshift({ x: earliest, y: data.start_level });
  steps.push({ x: now, y: steps[steps.length - 1].y });
  var day = function (value) {
    return new Date(value).toLocaleDateString("en-GB", {
      day: "numeric",
      month: "short",
      year: "numeric",
    });
  };
  new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        {
          label: "Risk level",
          data: steps,
          stepped: "before",
          borderColor: "#1d70b8",
          backgroundColor: "#1d70b8",
          pointRadius: 0,
        },
        {
          type: "scatter",
          label: "Sign recorded",
          data: points,
          borderColor: "#d4351c",
          backgroundColor: "#d4351c",
          pointStyle: "triangle",
          pointRadius: 6,
        },
      ],
    },
    options: {
      animation: false,
      parsing: false,
      scales: {
        x: {
          type: "linear",
          min: earliest,
          // A little room on the right so today's points are not cut in half.
          max: now + 3 * 86400000,
          ticks: { callback: day, maxTicksLimit: 6 },
        },
        y: {
          min: 0,
          max: levels.length - 1,
          ticks: {
            stepSize: 1,
            callback: function (value) {
              return levels[value];
            },
          },
        },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: function (items) {
              return items.length ? day(items[0].parsed.x) : "";
            },
            label: function (item) {
              return item.raw.label || levels[item.parsed.y];
            },
          },
        },
      },
    },
  });
})();
