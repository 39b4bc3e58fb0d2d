#pragma once
// The 3D view: draws a tessellated CAD file (telar::cad::Mesh) with the colours the CAD file
// gives its parts, lit by a headlight. Left drag orbits, right or middle drag (or Shift+left)
// pans, the wheel zooms, a double click fits everything in view, a left click picks the instance
// under the cursor (a CPU ray cast, see picking.h) and reports it; highlighted instances are
// drawn in highlightColour(). Uses OpenGL 2.1 / GLSL 1.10 only, so it runs on Mesa llvmpipe
// (Xvfb) as well as on real drivers.

#include "orbit_camera.h"
#include "picking.h"

#include "telar/cad/mesh.h"

#include <QOpenGLBuffer>
#include <QOpenGLFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLWidget>
#include <QPoint>
#include <QVector3D>

#include <memory>
#include <optional>
#include <vector>

namespace telar::desktop {

class MeshView : public QOpenGLWidget, protected QOpenGLFunctions {
    Q_OBJECT
public:
    explicit MeshView(QWidget* parent = nullptr);
    ~MeshView() override;

    // Shows mesh (shared, immutable) and fits it in view; a mesh without triangles clears the view.
    void setMesh(std::shared_ptr<const cad::Mesh> mesh);
    // Removes the geometry and shows message in the middle of the view.
    void clear(const QString& message = {});
    // Text drawn over the view (e.g. "Loading…"); empty hides it.
    void setMessage(const QString& message);
    bool hasMesh() const { return m_indexCount > 0 || m_pendingUpload; }
    // Frames drawn with geometry since the last setMesh() (screenshots wait for one).
    int framesWithMesh() const { return m_framesWithMesh; }

    const OrbitCamera& camera() const { return m_camera; }
    // The colour the view is cleared with (tests compare pixels against it).
    static QColor backgroundColour();
    // The colour of parts the CAD file gives none.
    static QColor defaultPartColour();
    // The colour highlighted instances are drawn in.
    static QColor highlightColour();

    // Draws these instances (indices in the mesh's groups) in highlightColour(); others as the
    // file colours them. Out-of-range indices are ignored. setMesh() clears the highlight.
    void setHighlight(const std::vector<int>& instances);
    const std::vector<int>& highlight() const { return m_highlight; }
    // The instance under pos (widget coordinates) as the view is drawn now; -1 for background.
    int instanceAt(const QPointF& pos);
    // A point of the view where instance is visible and would be picked (see MeshPicker).
    std::optional<QPointF> visiblePoint(int instance);
    const MeshPicker& picker() const { return m_picker; }

signals:
    // A left click (without dragging) on instance; -1 when it hit the background.
    void instanceClicked(int instance);

public slots:
    void fitAll();
    void resetView();

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

private:
    void upload();
    void releaseGl();
    // Fits the camera now if a fit is pending (the next paint would), for the widget's size.
    void applyPendingFit();
    void writeColours(int instance, const float* rgb);

    OrbitCamera m_camera;
    std::shared_ptr<const cad::Mesh> m_mesh;
    std::vector<float> m_vertexData;  // x y z nx ny nz r g b per vertex, built in setMesh()
    std::vector<float> m_fileColours; // r g b per vertex as the file colours it
    std::vector<int> m_highlight;
    MeshPicker m_picker;
    QVector3D m_min;
    QVector3D m_max;
    bool m_pendingUpload = false;
    bool m_pendingFit = false; // fit at the next paint, when the viewport size is known
    int m_indexCount = 0;
    int m_framesWithMesh = 0;
    QString m_message;

    bool m_glReady = false;
    std::unique_ptr<QOpenGLShaderProgram> m_program;
    QOpenGLBuffer m_vertices{QOpenGLBuffer::VertexBuffer};
    QOpenGLBuffer m_indices{QOpenGLBuffer::IndexBuffer};

    enum class Drag { None, Orbit, Pan };
    Drag m_drag = Drag::None;
    QPoint m_lastPos;
    QPoint m_pressPos;
    bool m_moved = false; // the button moved far enough since the press to be a drag, not a click
};

} // namespace telar::desktop
