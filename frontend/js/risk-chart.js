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
  var steps = data.screenings.map(function (s) {
    return { x: Date.parse(s.at), y: s.level };
  });
  if (steps.length) {
    steps.push({ x: Date.now(), y: steps[steps.length - 1].y });
  }
  var points = data.observations.map(function (o) {
    return { x: Date.parse(o.on), y: o.level, label: o.label };
  });
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
          stepped: "after",
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
