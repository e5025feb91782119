/* Shortest path over the network snapshot's compressed sparse rows, in C.
 *
 * The same search as intel.network.shortest_path (PostgreSQL frontier queries): a
 * bidirectional breadth-first search that grows one frontier by one whole level each
 * round and stops at the first node the other side has already reached, within
 * max_depth rounds and max_visited nodes. It grows the frontier whose nodes have fewer
 * links between them (PostgreSQL's grows the one with fewer nodes): the path found is
 * as short, and a hub is expanded only when it must be. It reads the arrays of intel.csr.Graph
 * through the buffer protocol (numpy arrays, memory-mapped or not) without copying, so
 * it needs no numpy headers, and it releases the GIL while it searches.
 *
 * Why it exists: decision 0013. networkx's bidirectional search answers a shortest
 * path on the national graph in a fraction of a millisecond; the numpy version paid
 * several microseconds per array operation, many per level, and was slower.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The arrays of one graph, in the order intel.csr.Graph.c_arrays gives them. */
enum {
    NODE_KEYS, INDPTR, ADJ_NODE, ADJ_EDGE, LINK_ID, AREA, LINK_TYPE, VALID_FROM, VALID_TO,
    EVALUATION, ASSESSMENT, N_ARRAYS
};
static const Py_ssize_t ITEM_SIZE[N_ARRAYS] = {8, 8, 4, 4, 8, 4, 1, 4, 4, 1, 1};
static const char *ARRAY_NAME[N_ARRAYS] = {
    "node_keys", "indptr", "adj_node", "adj_edge", "link_id", "area", "link_type",
    "valid_from", "valid_to", "evaluation", "assessment"};

typedef struct {
    Py_buffer views[N_ARRAYS];
    int held;
    const int64_t *keys;
    Py_ssize_t n_nodes;
    const int64_t *indptr;
    const int32_t *adj_node, *adj_edge;
    const int64_t *link_id;
    const int32_t *area;
    const int8_t *link_type;
    const int32_t *valid_from, *valid_to;
    const int8_t *evaluation, *assessment;
    Py_ssize_t n_links;
} Graph;

typedef struct {
    int32_t area;
    uint64_t type_mask; /* bit n set: link type code n passes; 0: every type */
    int32_t since_day, until_day;
    int8_t worst_evaluation, worst_assessment;
} Filter;

/* One node reached: by which side (0 from the source, 1 from the target), from which
 * node, and through which link (graph number << 40 | row); parent -1 for an end. */
typedef struct {
    int64_t key;
    int64_t parent;
    int64_t hit;
    int side;
} Entry;

typedef struct {
    Entry *slots;
    size_t cap, used;
} Map;

typedef struct {
    int64_t *items;
    size_t len, cap;
} Keys;

#define ROW_BITS 40

static void release_graph(Graph *g) {
    for (int i = 0; i < g->held; i++) PyBuffer_Release(&g->views[i]);
    g->held = 0;
}

static int load_graph(PyObject *arrays, Graph *g) {
    memset(g, 0, sizeof(*g));
    if (!PyTuple_Check(arrays) || PyTuple_GET_SIZE(arrays) != N_ARRAYS) {
        PyErr_SetString(PyExc_TypeError, "each graph must be a tuple of its 11 arrays");
        return -1;
    }
    for (int i = 0; i < N_ARRAYS; i++) {
        Py_buffer *view = &g->views[i];
        if (PyObject_GetBuffer(PyTuple_GET_ITEM(arrays, i), view, PyBUF_C_CONTIGUOUS) < 0) {
            release_graph(g);
            return -1;
        }
        g->held = i + 1;
        if (view->itemsize != ITEM_SIZE[i]) {
            PyErr_Format(PyExc_TypeError, "%s must have %zd-byte items, not %zd",
                         ARRAY_NAME[i], ITEM_SIZE[i], view->itemsize);
            release_graph(g);
            return -1;
        }
    }
    g->keys = g->views[NODE_KEYS].buf;
    g->n_nodes = g->views[NODE_KEYS].len / 8;
    g->indptr = g->views[INDPTR].buf;
    g->adj_node = g->views[ADJ_NODE].buf;
    g->adj_edge = g->views[ADJ_EDGE].buf;
    g->link_id = g->views[LINK_ID].buf;
    g->area = g->views[AREA].buf;
    g->link_type = g->views[LINK_TYPE].buf;
    g->valid_from = g->views[VALID_FROM].buf;
    g->valid_to = g->views[VALID_TO].buf;
    g->evaluation = g->views[EVALUATION].buf;
    g->assessment = g->views[ASSESSMENT].buf;
    g->n_links = g->views[LINK_ID].len / 8;
    Py_ssize_t adjacency = g->views[ADJ_NODE].len / 4;
    if (g->views[INDPTR].len / 8 != g->n_nodes + 1 || g->views[ADJ_EDGE].len / 4 != adjacency
        || (g->n_nodes && g->indptr[g->n_nodes] != adjacency)
        || g->views[AREA].len / 4 != g->n_links || g->views[LINK_TYPE].len != g->n_links
        || g->views[VALID_FROM].len / 4 != g->n_links || g->views[VALID_TO].len / 4 != g->n_links
        || g->views[EVALUATION].len != g->n_links || g->views[ASSESSMENT].len != g->n_links) {
        PyErr_SetString(PyExc_ValueError, "the graph's arrays do not have matching lengths");
        release_graph(g);
        return -1;
    }
    return 0;
}

/* Where key is in the sorted array, or -1. */
static Py_ssize_t find_sorted(const int64_t *sorted, Py_ssize_t n, int64_t key) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && sorted[lo] == key ? lo : -1;
}

static inline int passes(const Graph *g, int32_t e, const Filter *f) {
    if (g->area[e] != f->area) return 0;
    if (f->type_mask && !((f->type_mask >> (g->link_type[e] & 63)) & 1)) return 0;
    if (g->valid_to[e] < f->since_day || g->valid_from[e] > f->until_day) return 0;
    return g->evaluation[e] <= f->worst_evaluation && g->assessment[e] <= f->worst_assessment;
}

static inline size_t slot_of(int64_t key, size_t cap) {
    uint64_t z = (uint64_t)key + 0x9e3779b97f4a7c15ULL; /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (size_t)(z ^ (z >> 31)) & (cap - 1);
}

static Entry *map_find(const Map *m, int64_t key) {
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->slots[i].key == key) return &m->slots[i];
        if (m->slots[i].key == 0) return NULL;
    }
}

/* Node keys are never 0 (the kind code in the top byte starts at 1): 0 marks a free slot. */
static int map_put(Map *m, int64_t key, int64_t parent, int64_t hit, int side) {
    if (2 * (m->used + 1) > m->cap) {
        size_t cap = m->cap * 2;
        Entry *slots = calloc(cap, sizeof(Entry));
        if (!slots) return -1;
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key) continue;
            size_t j = slot_of(m->slots[i].key, cap);
            while (slots[j].key) j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
        free(m->slots);
        m->slots = slots;
        m->cap = cap;
    }
    size_t i = slot_of(key, m->cap);
    while (m->slots[i].key) i = (i + 1) & (m->cap - 1);
    m->slots[i] = (Entry){key, parent, hit, side};
    m->used++;
    return 0;
}

static int push(Keys *k, int64_t key) {
    if (k->len == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        int64_t *items = realloc(k->items, cap * sizeof(int64_t));
        if (!items) return -1;
        k->items = items;
        k->cap = cap;
    }
    k->items[k->len++] = key;
    return 0;
}

typedef struct {
    int found;        /* 1: a path; 0: none within the limits; -1: out of memory */
    int64_t here, there, hit;
    int side;         /* the side that grew when the two met */
} Meeting;

/* How many links a node has, in every graph: the work of growing from it. */
static int64_t degree(const Graph *graphs, int n_graphs, int64_t key) {
    int64_t links = 0;
    for (int g = 0; g < n_graphs; g++) {
        Py_ssize_t row = find_sorted(graphs[g].keys, graphs[g].n_nodes, key);
        if (row >= 0) links += graphs[g].indptr[row + 1] - graphs[g].indptr[row];
    }
    return links;
}

static Meeting search(const Graph *graphs, int n_graphs, const int64_t *hidden,
                      Py_ssize_t n_hidden, int64_t source, int64_t target, const Filter *f,
                      long max_depth, long max_visited, Map *seen) {
    Meeting result = {0, 0, 0, 0, 0};
    Keys frontier[2] = {{NULL, 0, 0}, {NULL, 0, 0}}, next = {NULL, 0, 0};
    /* The links each frontier's nodes have (in the graph that reached them): the side
     * with fewer grows, so a deal line with thousands of contacts is grown from last. */
    int64_t work[2] = {degree(graphs, n_graphs, source), degree(graphs, n_graphs, target)};
    if (map_put(seen, source, -1, -1, 0) < 0 || map_put(seen, target, -1, -1, 1) < 0
        || push(&frontier[0], source) < 0 || push(&frontier[1], target) < 0)
        goto out_of_memory;
    for (long round = 0; round < max_depth; round++) {
        if (!frontier[0].len || !frontier[1].len || seen->used > (size_t)max_visited) break;
        int side = work[0] <= work[1] ? 0 : 1;
        int64_t next_work = 0;
        next.len = 0;
        for (size_t i = 0; i < frontier[side].len; i++) {
            int64_t here = frontier[side].items[i];
            for (int g = 0; g < n_graphs; g++) {
                const Graph *graph = &graphs[g];
                Py_ssize_t row = find_sorted(graph->keys, graph->n_nodes, here);
                if (row < 0) continue;
                for (int64_t j = graph->indptr[row]; j < graph->indptr[row + 1]; j++) {
                    int32_t e = graph->adj_edge[j];
                    if (!passes(graph, e, f)) continue;
                    if (g == 0 && n_hidden && find_sorted(hidden, n_hidden, graph->link_id[e]) >= 0)
                        continue;
                    int64_t there = graph->keys[graph->adj_node[j]];
                    int64_t hit = ((int64_t)g << ROW_BITS) | e;
                    Entry *known = map_find(seen, there);
                    if (known) {
                        if (known->side != side) {
                            result = (Meeting){1, here, there, hit, side};
                            goto done;
                        }
                        continue;
                    }
                    if (map_put(seen, there, here, hit, side) < 0 || push(&next, there) < 0)
                        goto out_of_memory;
                    int32_t at = graph->adj_node[j];
                    next_work += graph->indptr[at + 1] - graph->indptr[at];
                }
            }
        }
        Keys grown = frontier[side];
        frontier[side] = next;
        next = grown;
        work[side] = next_work;
    }
    goto done;
out_of_memory:
    result.found = -1;
done:
    free(frontier[0].items);
    free(frontier[1].items);
    free(next.items);
    return result;
}

/* The chain of (node, link) from key back to the end its side started from. */
static int chain(const Map *seen, int64_t key, PyObject *nodes, PyObject *hits, int reverse) {
    const Entry *entry = map_find(seen, key);
    while (entry && entry->parent != -1) {
        PyObject *node = PyLong_FromLongLong(entry->parent);
        PyObject *hit = Py_BuildValue("(LL)", entry->hit >> ROW_BITS,
                                      entry->hit & (((int64_t)1 << ROW_BITS) - 1));
        int failed = !node || !hit
                     || (reverse ? PyList_Insert(nodes, 0, node) || PyList_Insert(hits, 0, hit)
                                 : PyList_Append(nodes, node) || PyList_Append(hits, hit));
        Py_XDECREF(node);
        Py_XDECREF(hit);
        if (failed) return -1;
        entry = map_find(seen, entry->parent);
    }
    return 0;
}

static PyObject *answer(const Map *seen, const Meeting *m) {
    /* from_source is the meeting end on the source's side, to_target the other. */
    int64_t from_source = m->side == 0 ? m->here : m->there;
    int64_t to_target = m->side == 0 ? m->there : m->here;
    PyObject *nodes = PyList_New(0), *hits = PyList_New(0);
    PyObject *first = PyLong_FromLongLong(from_source), *second = PyLong_FromLongLong(to_target);
    PyObject *link = Py_BuildValue("(LL)", m->hit >> ROW_BITS,
                                   m->hit & (((int64_t)1 << ROW_BITS) - 1));
    PyObject *result = NULL;
    if (nodes && hits && first && second && link && !PyList_Append(nodes, first)
        && !chain(seen, from_source, nodes, hits, 1) && !PyList_Append(nodes, second)
        && !PyList_Append(hits, link)) {
        /* The target's side, walked from to_target towards the target. */
        if (!chain(seen, to_target, nodes, hits, 0)) result = PyTuple_Pack(2, nodes, hits);
    }
    Py_XDECREF(nodes);
    Py_XDECREF(hits);
    Py_XDECREF(first);
    Py_XDECREF(second);
    Py_XDECREF(link);
    return result;
}

PyDoc_STRVAR(shortest_path_doc,
"shortest_path(graphs, hidden, source, target, area, type_mask, since_day, until_day,\n"
"              worst_evaluation, worst_assessment, max_depth, max_visited)\n"
"--\n\n"
"A shortest path between two node keys over one or more graphs (a tuple of each graph's\n"
"arrays; links of the first whose id is in the sorted int64 array ``hidden`` are\n"
"skipped) and the links that pass the filter: ``([keys...], [(graph, row)...])``, or\n"
"None when there is none within ``max_depth`` levels and ``max_visited`` nodes.");

static PyObject *shortest_path(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *graph_list, *hidden_obj;
    long long source, target;
    long area, since_day, until_day, worst_evaluation, worst_assessment, max_depth, max_visited;
    unsigned long long type_mask;
    if (!PyArg_ParseTuple(args, "O!OLLlKllllll", &PyTuple_Type, &graph_list, &hidden_obj,
                          &source, &target, &area, &type_mask, &since_day, &until_day,
                          &worst_evaluation, &worst_assessment, &max_depth, &max_visited))
        return NULL;
    if (source <= 0 || target <= 0) {
        PyErr_SetString(PyExc_ValueError, "node keys are positive");
        return NULL;
    }
    if (source == target) {
        return Py_BuildValue("([L][])", source);
    }
    int n_graphs = (int)PyTuple_GET_SIZE(graph_list);
    if (n_graphs < 1 || n_graphs > 8) {
        PyErr_SetString(PyExc_ValueError, "between one and eight graphs");
        return NULL;
    }
    Graph graphs[8];
    Py_buffer hidden;
    int loaded = 0;
    PyObject *result = NULL;
    if (PyObject_GetBuffer(hidden_obj, &hidden, PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (hidden.itemsize != 8) {
        PyErr_SetString(PyExc_TypeError, "hidden must hold int64 link ids");
        goto finish;
    }
    for (; loaded < n_graphs; loaded++)
        if (load_graph(PyTuple_GET_ITEM(graph_list, loaded), &graphs[loaded]) < 0) goto finish;
    Filter filter = {(int32_t)area, (uint64_t)type_mask, (int32_t)since_day, (int32_t)until_day,
                     (int8_t)worst_evaluation, (int8_t)worst_assessment};
    Map seen = {calloc(256, sizeof(Entry)), 256, 0};
    if (!seen.slots) {
        PyErr_NoMemory();
        goto finish;
    }
    Meeting meeting;
    Py_BEGIN_ALLOW_THREADS
    meeting = search(graphs, n_graphs, hidden.buf, hidden.len / 8, source, target, &filter,
                     max_depth, max_visited, &seen);
    Py_END_ALLOW_THREADS
    if (meeting.found < 0) PyErr_NoMemory();
    else if (meeting.found == 0) result = Py_NewRef(Py_None);
    else result = answer(&seen, &meeting);
    free(seen.slots);
finish:
    for (int i = 0; i < loaded; i++) release_graph(&graphs[i]);
    PyBuffer_Release(&hidden);
    return result;
}

static PyMethodDef methods[] = {
    {"shortest_path", shortest_path, METH_VARARGS, shortest_path_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_pathfind",
    "Shortest paths over the network snapshot's arrays (see intel.csr).", -1, methods,
};

PyMODINIT_FUNC PyInit__pathfind(void) { return PyModule_Create(&module); }
